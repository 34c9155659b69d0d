"""The export is streamed, and a server told to stop finishes the exports it is sending.

Both tests pause a download after its first chunk. The export is far larger than
every buffer between PostgreSQL and the client (the server's bounded queue, the
sockets), so while the client does not read, the server cannot have finished it.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.api.helpers import category_id
from tests.support import Account, ApiServer, register_and_login, run_sql

ROWS = 20_000
DESCRIPTION, NOTES = "d" * 500, "n" * 2000  # ~2.5 kB a row: ~50 MB in all
EXPORT = "/api/v1/expenses/export.csv"
HEADER = b"date,category,description,amount,notes,currency,base_amount,tags,split_group"
# Uncompressed, so that bytes on the wire are rows the server has already read.
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def big_account(api_url: str, database_url: str) -> Account:
    with httpx.Client(base_url=api_url, timeout=30) as http:
        account = register_and_login(http)
        food = category_id(http, account)
    run_sql(
        database_url,
        """
        INSERT INTO expense (user_id, category_id, amount, spent_on, description, notes,
                             created_at, updated_at, version)
        SELECT $1, $2, 1.25, date '2026-01-01' + (g % 28), $3, $4, now(), now(), 1
        FROM generate_series(1, $5) AS g
        """,
        account.profile["id"],
        food,
        DESCRIPTION,
        NOTES,
        ROWS,
    )
    return account


def copy_running(database_url: str) -> bool:
    """Whether a ``COPY`` of expenses is still reading rows in PostgreSQL."""
    rows = run_sql(
        database_url,
        """
        SELECT count(*) AS n FROM pg_stat_activity
        WHERE state = 'active' AND query LIKE 'COPY%FROM expense%'
          AND datname = current_database() AND pid <> pg_backend_pid()
        """,
    )
    return rows[0]["n"] > 0


def assert_complete(first: bytes, rest: Iterator[bytes]) -> None:
    lines = (first + b"".join(rest)).decode().splitlines()
    assert lines[0].encode() == HEADER
    assert len(lines) == ROWS + 1
    assert set(lines[1:]) == {
        f"2026-01-{day:02d},Food,{DESCRIPTION},1.25,{NOTES},USD,1.25,," for day in range(1, 29)
    }


def test_the_first_bytes_arrive_while_the_database_is_still_reading_rows(
    client, big_account, database_url
):
    headers = {**big_account.headers, **PLAIN}
    with client.stream("GET", EXPORT, headers=headers) as response:
        assert response.status_code == 200
        chunks = response.iter_raw()
        first = next(chunks)
        assert first.startswith(HEADER)
        # A buffered export would have finished its COPY before answering.
        assert copy_running(database_url)
        assert_complete(first, chunks)


def test_sigterm_finishes_a_streamed_export_then_exits_0(big_account, database_url, tmp_path):
    server = ApiServer(
        database_url,
        tmp_path / "server.log",
        # Grace and query timeout far above what the download needs on a slow machine.
        extra_env={"SHUTDOWN_GRACE_SECONDS": "60", "DB_TIMEOUT_SECONDS": "60"},
    ).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            headers = {**big_account.headers, **PLAIN}
            with http.stream("GET", EXPORT, headers=headers) as response:
                assert response.status_code == 200
                chunks = response.iter_raw()
                first = next(chunks)  # accepted and streaming: now stop the server
                server.process.send_signal(signal.SIGTERM)
                wait_until_refusing(server.url)
                # Still alive although told to stop: it is draining our download.
                assert server.process.poll() is None
                assert copy_running(database_url)
                assert_complete(first, chunks)
        assert server.process.wait(timeout=30) == 0
    finally:
        server.stop()


def wait_until_refusing(url: str, timeout: float = 20.0) -> None:
    """Probe with new connections until the server no longer accepts them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/health", timeout=2)
        except (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError):
            # Refused, or reset by a listener that is closing: no longer serving.
            return
        time.sleep(0.05)  # the interval between probes, not a synchronisation
    raise AssertionError("the server still accepts connections after SIGTERM")
