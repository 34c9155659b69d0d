"""A PostgreSQL of our own, to stop, crash and start: TCP and Unix-socket URLs, outages,
and durability of answered writes.

The session's database must stay up for every other test, so these tests start a
second server (pgserver's binaries, in a temporary folder) listening on both a
loopback port and a socket directory.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.api.stoppable_postgres import StoppablePostgres, stoppable_postgres
from tests.support import (
    PASSWORD,
    ApiServer,
    fresh_database,
    migrate,
    register_and_login,
    with_database,
)

OUTAGE_ANSWER_SECONDS = 5.0
RECOVERY_SECONDS = 10.0


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[StoppablePostgres]:
    with stoppable_postgres() as postgres:
        yield postgres


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


def test_a_write_answered_2xx_survives_a_crash_of_the_database_and_a_new_server(
    own_postgres, own_database, tmp_path
):
    url = with_database(own_postgres.socket_url, own_database)
    server = ApiServer(url, tmp_path / "first.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            account = register_and_login(http)
            food = next(
                c["id"]
                for c in http.get("/api/v1/categories", headers=account.headers).json()["items"]
                if c["name"] == "Food"
            )
            body = {"amount": "42.10", "category_id": food, "spent_on": "2026-03-04"}
            created = http.post("/api/v1/expenses", json=body, headers=account.headers)
            assert created.status_code == 201, created.text
    finally:
        server.stop()
    # Immediate shutdown is a crash for PostgreSQL: what survives it was on disk
    # (in the WAL) when the API said 201, not in some buffer.
    own_postgres.stop(mode="immediate")
    own_postgres.start()
    server = ApiServer(url, tmp_path / "second.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            again = http.get(created.headers["location"], headers=account.headers)
    finally:
        server.stop()
    assert again.status_code == 200, again.text
    assert again.json() == created.json()
