"""``expense-tracker demo``: a local API on an embedded PostgreSQL, a demo account, the app.

The API runs as a child process (``python -m api.cli serve``) exactly as a user
would run it: with no ``DATABASE_URL`` it starts the embedded PostgreSQL in the
demo data folder and migrates itself. The desktop only ever talks HTTP to it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import platformdirs

from desktop.client import ApiClient
from desktop.demo_data import Row, demo_csv, demo_rows
from desktop.errors import ApiError
from desktop.filters import ExpenseQuery, today
from wire.auth import TokenPair

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"  # noqa: S105  (a public demo account on loopback)
READY_TIMEOUT = 120.0  # the first run initialises a PostgreSQL cluster


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def api_server(data_dir: Path) -> Iterator[str]:
    """Run the API on a free loopback port until the block ends; yield its URL."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(EXPENSE_DATA_DIR=str(data_dir), APP_ENV="development", LOG_LEVEL="WARNING")
    log_path = data_dir / "server.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process, log_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The API exited early; see {log_path}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"The API did not become ready; see {log_path}")


def seed(url: str) -> tuple[str, TokenPair]:
    """Create the demo account once and fill it with a year of expenses."""
    client = ApiClient(url, timeout=60)
    try:
        client.register(DEMO_EMAIL, DEMO_PASSWORD, "Demo User", "USD")
    except ApiError as error:
        if error.status != 409:  # 409: it exists from an earlier run
            raise
    tokens = client.login(DEMO_EMAIL, DEMO_PASSWORD)
    if not client.expenses(ExpenseQuery(), limit=1).items:
        rows = demo_rows(today())
        try:
            client.import_csv(demo_csv(rows), dry_run=False)
        except ApiError as error:
            if error.status not in (404, 405):
                raise
            _create_one_by_one(client, rows)
    client.close()
    return DEMO_EMAIL, tokens


def _create_one_by_one(client: ApiClient, rows: list[Row]) -> None:
    """Fallback for an API without CSV import: POST each expense."""
    categories = {c.name: c.id for c in client.categories()}
    for row in rows:
        client.create_expense(
            {
                "amount": row.amount,
                "category_id": categories[row.category],
                "spent_on": row.spent_on,
                "description": row.description,
                "notes": row.notes,
            }
        )


def run_demo(screenshot_dir: Path | None = None, data_dir: Path | None = None) -> int:
    from desktop.qt_app import application

    data_dir = data_dir or Path(platformdirs.user_data_dir("expense-tracker")) / "demo"
    print(f"expense-tracker demo: starting the API (data in {data_dir})…", flush=True)
    with api_server(data_dir) as url:
        email, tokens = seed(url)
        print(f"expense-tracker demo: {url}, signed in as {email} / {DEMO_PASSWORD}", flush=True)
        app = application()
        from desktop.demo_window import open_demo_window, render_screenshots

        window = open_demo_window(url, email, tokens)
        if screenshot_dir is not None:
            paths = render_screenshots(window, screenshot_dir)
            for path in paths:
                print(f"expense-tracker demo: wrote {path}", flush=True)
            window.close()
            return 0
        return app.exec()
