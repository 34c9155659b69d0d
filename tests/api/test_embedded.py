"""The embedded PostgreSQL never outlives the app, and starts again after any crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import psutil

from tests.support import REPO_ROOT, TEST_JWT_SECRET, free_port


def postmaster(pgdata: Path) -> psutil.Process | None:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return None
    try:
        process = psutil.Process(int(pid_file.read_text().splitlines()[0]))
    except (psutil.Error, ValueError, IndexError):
        return None
    return process if process.is_running() and process.status() != psutil.STATUS_ZOMBIE else None


def wait_for(condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def crash_while_holding(pgdata: Path) -> None:
    """A process takes the embedded database and dies without letting go (kill -9)."""
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from api.embedded import embedded_postgres
        with embedded_postgres(Path({str(pgdata)!r})):
            print("up", flush=True)
            time.sleep(600)
        """
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "up"
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    assert postmaster(pgdata) is not None  # left running by the crash
    assert holder.pid in json.loads((pgdata / ".handle_pids.json").read_text())


def test_a_crashed_holder_is_forgotten_and_the_server_stops_after_the_next_user(tmp_path):
    pgdata = tmp_path / "pgdata"
    crash_while_holding(pgdata)
    # The next user, in a process of its own (pgserver registers atexit hooks).
    script = (
        "from pathlib import Path\nfrom api.embedded import embedded_postgres\n"
        f"with embedded_postgres(Path({str(pgdata)!r})) as url:\n    print(url)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "host=" in result.stdout
    # pgserver alone would still count the dead holder and never stop the server.
    wait_for(lambda: postmaster(pgdata) is None)


def serve_embedded(data_dir: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--stop-with-stdin"]


def embedded_env(data_dir: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {
        **base,
        "APP_ENV": "test",
        "JWT_SECRET": TEST_JWT_SECRET,
        "EXPENSE_DATA_DIR": str(data_dir),
    }


def test_the_api_and_its_database_stop_when_the_app_is_killed(tmp_path):
    """The desktop app holds the API's stdin; kill -9 of the app closes it."""
    port = free_port()
    app = textwrap.dedent(
        f"""
        import subprocess, sys, time
        api = subprocess.Popen({serve_embedded(tmp_path, port)!r}, stdin=subprocess.PIPE)
        print(api.pid, flush=True)
        time.sleep(600)
        """
    )
    fake_app = subprocess.Popen(
        [sys.executable, "-c", app],
        cwd=REPO_ROOT,
        env=embedded_env(tmp_path),
        stdout=subprocess.PIPE,
        text=True,
    )
    api = psutil.Process(int(fake_app.stdout.readline()))
    wait_for(lambda: _healthy(port), 60)
    pgdata = tmp_path / "pgdata"
    assert postmaster(pgdata) is not None

    fake_app.send_signal(signal.SIGKILL)  # like a Qt abort: no cleanup runs in the app
    fake_app.wait(10)
    api.wait(60)
    wait_for(lambda: postmaster(pgdata) is None)


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
