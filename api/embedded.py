"""The embedded PostgreSQL (pgserver), made safe to start after any crash.

pgserver counts the processes using a data folder in ``.handle_pids.json`` and
stops the server when the last one leaves. It never drops pids of processes that
died without leaving (a Qt abort, ``kill -9``), so after one crash nobody ever
stops the server again, and a postmaster left half-stopped makes the next start
fail on a bare ``AssertionError``. Before each start, the pids of dead processes
are dropped; a postmaster that no live process uses is stopped; and a start that
still fails says what to do instead of showing a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import psutil

logger = logging.getLogger(__name__)

HANDLES = ".handle_pids.json"


class EmbeddedDatabaseError(RuntimeError):
    """The embedded database could not be started; the message says why and what to do."""


def live_handles(pgdata: Path) -> list[int]:
    """Drop the pids of processes that are gone from pgserver's list; the live ones."""
    path = pgdata / HANDLES
    try:
        pids = [int(pid) for pid in json.loads(path.read_text())]
    except (OSError, ValueError, TypeError):
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if path.exists() and alive != pids:
        logger.warning(
            "dropping handles of exited processes", extra={"pids": sorted(set(pids) - set(alive))}
        )
        path.write_text(json.dumps(alive))
    return alive


def stop_orphaned_postmaster(pgdata: Path) -> bool:
    """Stop a postmaster of this folder that no live process uses; True if one was stopped."""
    pid_file = pgdata / "postmaster.pid"
    if live_handles(pgdata) or not pid_file.exists():
        return False
    try:
        postmaster = psutil.Process(int(pid_file.read_text().splitlines()[0]))
    except (OSError, ValueError, IndexError, psutil.Error):
        return False
    logger.warning(
        "stopping an embedded PostgreSQL left behind by a crash", extra={"pid": postmaster.pid}
    )
    with contextlib.suppress(psutil.Error):
        postmaster.terminate()  # SIGTERM: PostgreSQL's "smart" shutdown, data stays consistent
        try:
            postmaster.wait(15)
        except psutil.TimeoutExpired:
            postmaster.kill()
            postmaster.wait(5)
    return True


@contextlib.contextmanager
def embedded_postgres(pgdata: Path) -> Iterator[str]:
    """Run pgserver in ``pgdata`` for the duration; yield its URL."""
    import pgserver  # the `embedded` extra; production images do not carry it

    pgdata.mkdir(parents=True, exist_ok=True)
    stop_orphaned_postmaster(pgdata)
    try:
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    except (AssertionError, OSError, RuntimeError) as error:
        raise EmbeddedDatabaseError(
            f"The embedded database in {pgdata} did not start ({type(error).__name__}: {error}). "
            f"Its log is {pgdata / 'log'}. If another Expense Tracker is running, close it; "
            "otherwise delete the file postmaster.pid in that folder and start again."
        ) from error
    logger.info("embedded PostgreSQL started", extra={"pgdata": str(pgdata)})
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
