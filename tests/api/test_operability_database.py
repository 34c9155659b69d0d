"""A PostgreSQL of our own, to stop and start: TCP and Unix-socket URLs, and outages.

The session's database must stay up for every other test, so these tests start a
second server (pgserver's binaries, in a temporary folder) listening on both a
loopback port and a socket directory.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import (
    PASSWORD,
    ApiServer,
    free_port,
    fresh_database,
    migrate,
    register_and_login,
    with_database,
)

OUTAGE_ANSWER_SECONDS = 5.0
RECOVERY_SECONDS = 10.0


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
        self.pgdata, self.user = server.pgdata, server.system_user
        self.log = self.pgdata / "restarted.log"  # writable by the postgres user
        self._pg_ctl(["-w", "-m", "fast", "stop"])
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


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[StoppablePostgres]:
    # A short path: Unix socket paths are limited to about 100 bytes.
    workdir = Path(tempfile.mkdtemp(prefix="pg-"))
    workdir.chmod(0o755)
    postgres = StoppablePostgres(workdir)
    try:
        yield postgres
    finally:
        postgres.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def own_database(own_postgres: StoppablePostgres) -> Iterator[str]:
    """A migrated database on our own server; the name, to combine with either URL."""
    with fresh_database(own_postgres.tcp_url, prefix="expense_outage") as url:
        migrate(url)
        yield url.rsplit("/", 1)[1]


@pytest.mark.parametrize("kind", ["tcp", "socket"])
def test_tcp_and_unix_socket_database_urls_both_work(own_postgres, own_database, kind, tmp_path):
    base = own_postgres.tcp_url if kind == "tcp" else own_postgres.socket_url
    server = ApiServer(with_database(base, own_database), tmp_path / "server.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            assert http.get("/ready").status_code == 200
            account = register_and_login(http)
            assert http.get("/api/v1/me", headers=account.headers).status_code == 200
    finally:
        server.stop()


def timed(call) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def assert_unavailable(response: httpx.Response, seconds: float) -> None:
    assert response.status_code == 503, response.text
    assert seconds < OUTAGE_ANSWER_SECONDS
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) > 0


def test_a_database_outage_is_503_and_heals_without_a_restart(own_postgres, own_database, tmp_path):
    url = with_database(own_postgres.socket_url, own_database)
    server = ApiServer(url, tmp_path / "server.log").start()
    http = httpx.Client(base_url=server.url, timeout=30)
    try:
        account = register_and_login(http)
        pid = server.process.pid
        own_postgres.stop()

        assert http.get("/health").status_code == 200  # liveness never asks the database
        assert_unavailable(*timed(lambda: http.get("/ready")))
        assert_unavailable(*timed(lambda: http.get("/api/v1/me", headers=account.headers)))
        login = {"email": account.email, "password": PASSWORD}
        assert_unavailable(*timed(lambda: http.post("/api/v1/auth/login", json=login)))
        new_user = {"email": f"outage-{pid}@example.com", "password": PASSWORD}
        assert_unavailable(*timed(lambda: http.post("/api/v1/auth/register", json=new_user)))

        own_postgres.start()
        back = time.monotonic()
        while http.get("/ready").status_code != 200:
            assert time.monotonic() - back < RECOVERY_SECONDS, "did not recover"
            time.sleep(0.2)
        # The same process serves again: pooled connections were replaced by itself.
        assert server.process.poll() is None
        assert server.process.pid == pid
        assert http.get("/api/v1/me", headers=account.headers).status_code == 200
        assert http.post("/api/v1/auth/login", json=login).status_code == 200
    finally:
        http.close()
        server.stop()
