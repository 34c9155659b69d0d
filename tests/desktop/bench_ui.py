"""Desktop speed figures: cold start, first page paint, scrolling 100k rows.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.desktop.bench_ui [--rows N]``.
Starts its own PostgreSQL and API (as the tests do), seeds N expenses through CSV
import, then measures:

* cold start — a fresh ``python`` process: from spawn to the main window shown,
  signed in silently from a stored session, with the first page painted;
* first page — from the moment the page's response is decoded (worker thread) to
  the table's next paint with those rows;
* scrolling — drag the scrollbar to the end repeatedly until all N rows are
  loaded; a 5 ms heartbeat timer on the UI thread records the longest gap, i.e.
  the longest the UI thread was blocked;
* warm start — a fresh process again, but its local store (desktop/local) holds the
  pages of an earlier run: from the main window's construction to its first rows
  painted, before the server has answered anything (issue 15, item 6);
* sorting — click the Amount header with all N rows loaded, then scroll until the
  N rows are loaded again in that order (server-side keyset pages); the heartbeat's
  longest gap over all of it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from tests.support import ApiServer, fresh_database, migrate, postgres_server, register_and_login

CHILD = r"""
import os, sys, time
t0 = float(os.environ["BENCH_T0"])
from PySide6.QtCore import QEvent, QObject, QTimer
from desktop.qt_app import application
app = application()
from desktop.client import ApiClient
from desktop.session import Session, TokenStore
from desktop.settings import AppSettings
from desktop.views.main_window import MainWindow
from PySide6.QtCore import QSettings
import keyring.backend

class OneSecret(keyring.backend.KeyringBackend):
    priority = 1
    def get_password(self, s, u): return os.environ["BENCH_REFRESH"]
    def set_password(self, s, u, p): pass
    def delete_password(self, s, u): pass

settings = AppSettings(QSettings(os.environ["BENCH_SETTINGS"], QSettings.Format.IniFormat))
settings.email = os.environ["BENCH_EMAIL"]
built = time.time()
window = MainWindow(Session(ApiClient(os.environ["BENCH_URL"]), TokenStore(OneSecret())), settings)
cached = window.expenses.model.rowCount()  # rows from the local store, before any request
window.show()
window.start()
shown = time.time() - t0
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and window.expenses.model.rowCount():
            now = time.time()
            print(f"{shown:.3f} {now - t0:.3f} {now - built:.3f} {cached}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False
painted = Painted()
window.expenses.table.viewport().installEventFilter(painted)
app.exec()
"""


def seed(http: httpx.Client, account, rows: int) -> None:
    start = datetime.now().astimezone().date()
    batch = 50_000  # the API's default import cap per file
    for first in range(0, rows, batch):
        lines = ["date,category,description,amount,notes"]
        for i in range(first, min(rows, first + batch)):
            day = start - timedelta(days=i % 3650)
            lines.append(f"{day},Food,Item {i},{(i % 9000) + 1}.{i % 100:02d},note {i}")
        response = http.post(
            "/api/v1/expenses/import",
            content=("\n".join(lines) + "\n").encode(),
            headers={**account.headers, "Content-Type": "text/csv"},
            timeout=600,
        )
        response.raise_for_status()


def _start_child(url: str, account, folder: str) -> tuple[float, float, float, int]:
    """One app start in a fresh process; its data folder (the offline store) is ``folder``."""
    with httpx.Client(base_url=url) as http:
        tokens = http.post(
            "/api/v1/auth/login", json={"email": account.email, "password": account.password}
        ).json()
    env = {
        **os.environ,
        "BENCH_T0": repr(time.time()),
        "BENCH_URL": url,
        "BENCH_EMAIL": account.email,
        "BENCH_REFRESH": tokens["refresh_token"],
        "BENCH_SETTINGS": str(Path(folder) / "s.ini"),
        "XDG_DATA_HOME": str(Path(folder) / "data"),  # never the user's own data folder
    }
    out = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2]), int(out[3])


def cold_start(url: str, account, runs: int) -> list[tuple[float, float]]:
    """Nothing cached: (window shown, first page painted) in seconds from spawn."""
    figures = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            shown, painted, _, _ = _start_child(url, account, tmp)
            figures.append((shown, painted))
    return figures


def warm_start(url: str, account, runs: int) -> list[tuple[float, float]]:
    """A cache from an earlier run: (from spawn, from window construction) to rows painted."""
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        _start_child(url, account, tmp)  # fills the store, as any earlier session would
        for _ in range(runs):
            _, painted, since_built, cached = _start_child(url, account, tmp)
            if not cached:  # the figure would be a cold start's: say so, do not report it
                raise RuntimeError("warm start: the local store had no rows")
            figures.append((painted, since_built))
    return figures


def in_process(url: str, account, rows: int) -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSettings, QTimer

    from desktop.client import ApiClient
    from desktop.qt_app import application
    from desktop.session import Session, TokenStore
    from desktop.settings import AppSettings
    from desktop.views.main_window import MainWindow
    from tests.desktop.conftest import MemoryKeyring

    app = application()
    tmp = tempfile.mkdtemp()
    import desktop.local.store

    desktop.local.store.data_root = lambda: Path(tmp) / "data"  # not the user's folder
    settings = AppSettings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
    session = Session(ApiClient(url), TokenStore(MemoryKeyring()))
    session.sign_in(account.email, account.password)
    window = MainWindow(session, settings)
    window.resize(1280, 800)
    window.show()
    model, table = window.expenses.model, window.expenses.table

    # First page: response decoded (worker) → next paint of the table with rows.
    marks: dict[str, float] = {}
    fetch = model._fetch_page

    def timed_fetch(query, cursor, sort):
        page = fetch(query, cursor, sort)
        if cursor is None:
            marks["response"] = time.perf_counter()
        return page

    model._fetch_page = timed_fetch

    class PaintWatch(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint and model.rowCount() and "paint" not in marks:
                marks["paint"] = time.perf_counter()
            return False

    watch = PaintWatch()
    table.viewport().installEventFilter(watch)
    window.start()
    while "paint" not in marks:
        app.processEvents()
    first_page_ms = (marks["paint"] - marks["response"]) * 1000

    # Scrolling: heartbeat on the UI thread; the longest gap is the longest block.
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def beat() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e6)
        last[0] = now

    heartbeat = QTimer(interval=5)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    started = time.perf_counter()
    bar = table.verticalScrollBar()
    while model.rowCount() < rows:
        bar.setValue(bar.maximum())  # what dragging the thumb to the end does
        app.processEvents()
        if time.perf_counter() - started > 600:
            break
    for step in range(0, bar.maximum(), max(1, bar.maximum() // 200)):  # scroll back up
        bar.setValue(bar.maximum() - step)
        app.processEvents()
    heartbeat.stop()
    loaded_s = time.perf_counter() - started
    rows_loaded = model.rowCount()

    # Sorting: a click on Amount with every row loaded, then every row again in that order.
    from desktop.models.expenses import AMOUNT

    scroll_gaps = gaps[:]
    gaps.clear()
    last[0] = clock.nsecsElapsed()
    heartbeat.start()
    started = time.perf_counter()
    table.horizontalHeader().sectionClicked.emit(AMOUNT)  # what the click does
    while model.rowCount() < rows or model.sort[0] != "amount":
        bar.setValue(bar.maximum())
        app.processEvents()
        if time.perf_counter() - started > 600:
            break
    heartbeat.stop()
    sorted_s = time.perf_counter() - started
    window.close()
    return {
        "first_page_ms": first_page_ms,
        "rows_loaded": rows_loaded,
        "load_all_s": loaded_s,
        "max_ui_block_ms": max(scroll_gaps),
        "p99_ui_block_ms": sorted(scroll_gaps)[int(len(scroll_gaps) * 0.99)],
        "rows_sorted": model.rowCount(),
        "sort_all_s": sorted_s,
        "max_sort_block_ms": max(gaps),
        "p99_sort_block_ms": sorted(gaps)[int(len(gaps) * 0.99)],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with (
        tempfile.TemporaryDirectory() as tmp,
        postgres_server(Path(tmp)) as server_url,
        fresh_database(server_url) as url,
    ):
        migrate(url)
        api = ApiServer(url, Path(tmp) / "api.log").start()
        try:
            with httpx.Client(base_url=api.url, timeout=60) as http:
                account = register_and_login(http)
                started = time.perf_counter()
                seed(http, account, args.rows)
                print(f"seeded {args.rows} rows in {time.perf_counter() - started:.1f} s")
            for shown, painted in cold_start(api.url, account, args.runs):
                print(f"cold start: window shown {shown:.2f} s, first page painted {painted:.2f} s")
            for painted, since_built in warm_start(api.url, account, args.runs):
                print(
                    f"warm start: cached rows painted {since_built * 1000:.0f} ms after the "
                    f"window's construction ({painted:.2f} s from spawn)"
                )
            for key, value in in_process(api.url, account, args.rows).items():
                print(f"{key}: {value:.1f}" if isinstance(value, float) else f"{key}: {value}")
        finally:
            api.stop()


if __name__ == "__main__":
    main()
