"""``expense-tracker demo``: a local API on an embedded PostgreSQL, a demo account, the app.

The API runs as a child process (``python -m api.cli serve``) exactly as a user
would run it: with no ``DATABASE_URL`` it starts the embedded PostgreSQL in the
demo data folder and migrates itself. The desktop only ever talks HTTP to it.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import platformdirs

from desktop.client import ApiClient
from desktop.demo_data import Row, demo_csv, demo_rates, demo_rows
from desktop.demo_plans import seed_plans
from desktop.errors import ApiError
from desktop.filters import ExpenseQuery, today
from wire.auth import TokenPair
from wire.rules import RuleCreate, RuleThen, RuleWhen

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"  # noqa: S105  (a public demo account on loopback)
READY_TIMEOUT = 120.0  # the first run initialises a PostgreSQL cluster


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class DemoError(RuntimeError):
    """The demo could not start; the message says why (the API's own words if it has any)."""


@contextlib.contextmanager
def api_server(data_dir: Path) -> Iterator[str]:
    """Run the API on a free loopback port until the block ends; yield its URL.

    The API watches its standard input (``--stop-with-stdin``); this process holds
    the pipe's write end for its whole life. However the app ends — a clean quit, a
    crash, a Qt ``abort()`` or ``kill -9`` — the operating system closes the pipe,
    and the API stops gracefully, stopping its embedded PostgreSQL with it.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(EXPENSE_DATA_DIR=str(data_dir), APP_ENV="development", LOG_LEVEL="WARNING")
    log_path = data_dir / "server.log"
    with log_path.open("ab") as log:
        log_start = log.tell()
        process = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--stop-with-stdin"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process, log_path, log_start)
        yield url
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Close the API's stdin (a graceful stop, database included); insist if it hangs."""
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_ready(
    url: str, process: subprocess.Popen[bytes], log_path: Path, log_start: int = 0
) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoError(why_it_stopped(log_path, log_start))
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise DemoError(f"The API did not become ready in {READY_TIMEOUT:.0f} s; see {log_path}")


def why_it_stopped(log_path: Path, log_start: int = 0) -> str:
    """The API's own explanation from this run's part of its log, not a traceback."""
    text = ""
    with contextlib.suppress(OSError), log_path.open("rb") as log:
        log.seek(log_start)
        text = log.read().decode("utf-8", "replace")
    for line in text.splitlines():
        # api/embedded.py's EmbeddedDatabaseError says what happened and what to do.
        if (at := line.find("The embedded database")) >= 0:
            return line[at:].split('"')[0].strip()  # up to the end of a JSON string
    folder = log_path.parent
    # pgserver logs PostgreSQL's own reason ("postgres: could not access …").
    if found := re.search(r"\\n(postgres: [^\\\"]+)", text):
        return (
            f"The embedded database in {folder} did not start ({found.group(1).strip()}). "
            f"Its log is {log_path}; deleting {folder} starts the demo afresh."
        )
    return f"The API stopped while starting; its log is {log_path}."


def seed(url: str, data_dir: Path | None = None) -> tuple[str, TokenPair]:
    """Create the demo account once and fill it with a year of expenses (and, given
    the server's ``data_dir``, the illustrative rates that convert the trip abroad)."""
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
        if data_dir is not None:
            load_demo_rates(data_dir)
        # Only on a fresh account, like the expenses: a second run adds nothing.
        seed_plans(client, today())
    if not client.rules():
        _seed_rules(client)
    client.close()
    return DEMO_EMAIL, tokens


def load_demo_rates(data_dir: Path) -> None:
    """``expense-api rates import`` of the demo's rates, beside the running server
    (pgserver shares its database between processes); it converts what waited."""
    path = data_dir / "demo-rates.csv"
    path.write_bytes(demo_rates(today()))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(EXPENSE_DATA_DIR=str(data_dir), APP_ENV="development", LOG_LEVEL="WARNING")
    result = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "api.cli", "rates", "import", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=READY_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise DemoError(f"Loading the demo's exchange rates failed: {result.stderr.strip()[-300:]}")


def _seed_rules(client: ApiClient) -> None:
    """Two rules, so the import wizard's sample statements show what rules do."""
    categories = {c.name: c.id for c in client.categories()}
    for name, contains, category, tags in (
        ("Streaming", "netflix", "Entertainment", ["subscription"]),
        ("Groceries", "grocer", "Food", None),
    ):
        if category in categories:
            client.create_rule(
                RuleCreate(name, RuleWhen(description_contains=contains),
                           RuleThen(category_id=categories[category], tags_add=tags))
            )  # fmt: skip


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
    data_dir = data_dir or Path(platformdirs.user_data_dir("expense-tracker")) / "demo"
    print(f"expense-tracker demo: starting the API (data in {data_dir})…", flush=True)
    try:
        with api_server(data_dir) as url:
            return _run_with(url, screenshot_dir, data_dir)
    except (DemoError, ApiError) as error:
        # A sentence the user can act on (the API's own), not a traceback.
        print(f"expense-tracker demo: {error}", file=sys.stderr, flush=True)
        return 1


def _run_with(url: str, screenshot_dir: Path | None, data_dir: Path) -> int:
    from desktop.qt_app import application

    email, tokens = seed(url, data_dir)
    print(f"expense-tracker demo: {url}, signed in as {email} / {DEMO_PASSWORD}", flush=True)
    app = application()
    from desktop.demo_window import open_demo_window, render_screenshots
    from desktop.dialog_screenshots import render as render_dialog_screenshots
    from desktop.shell_screenshots import render as render_shell_screenshots

    window = open_demo_window(url, email, tokens)
    if screenshot_dir is not None:
        paths = render_screenshots(window, screenshot_dir)
        paths += render_shell_screenshots(window, screenshot_dir)
        paths += render_dialog_screenshots(window, screenshot_dir)
        for path in paths:
            print(f"expense-tracker demo: wrote {path}", flush=True)
        window.close()
        return 0
    return app.exec()
