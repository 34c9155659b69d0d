"""A PostgreSQL of a test's own, to stop (cleanly or as a crash) and start at will.

The session's database must stay up for every other test, so outage and crash
tests start a second server (pgserver's binaries, in a temporary folder) listening
on both a loopback port and a socket directory.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.support import close_quietly, free_port


class StoppablePostgres:
    """A PostgreSQL cluster in ``workdir`` that tests may stop and start at will."""

    def __init__(self, workdir: Path) -> None:
        import pgserver

        self.port = free_port()
        self.socket_dir = workdir / "s"
        self.socket_dir.mkdir()
        self.socket_dir.chmod(0o777)  # as root, pgserver runs postgres as another user
        # pgserver creates the cluster (and its user, as root) and starts it on a
        # socket only; restart it listening where these tests need it.
        server = pgserver.get_server(workdir / "pgdata", cleanup_mode=None)
        close_quietly(server)  # stops nothing (cleanup_mode None); this class does
        self.pgdata, self.user = server.pgdata, server.system_user
        self.log = self.pgdata / "restarted.log"  # writable by the postgres user
        self._pg_ctl(["-w", "-m", "fast", "stop"])
        # The picked port may be taken before PostgreSQL binds it: then pg_ctl fails
        # and the next port is tried.
        for _ in range(4):
            try:
                self.start()
                return
            except Exception:
                self.port = free_port()
        self.start()

    def _pg_ctl(self, args: list[str]) -> None:
        import pgserver

        pgserver.pg_ctl(args, pgdata=self.pgdata, user=self.user, timeout=30)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.socket_dir}"
        self._pg_ctl(["-w", "-o", options, "-l", str(self.log), "start"])

    def stop(self, mode: str = "fast") -> None:
        """``immediate`` is a crash: no checkpoint, recovery from the WAL on start."""
        self._pg_ctl(["-w", "-m", mode, "stop"])

    @property
    def tcp_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def socket_url(self) -> str:
        return f"postgresql://postgres@/postgres?host={self.socket_dir}&port={self.port}"


@contextlib.contextmanager
def stoppable_postgres() -> Iterator[StoppablePostgres]:
    # A short path: Unix socket paths are limited to about 100 bytes.
    workdir = Path(tempfile.mkdtemp(prefix="pg-"))
    workdir.chmod(0o755)
    postgres = StoppablePostgres(workdir)
    try:
        yield postgres
    finally:
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)
