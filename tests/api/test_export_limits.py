"""Exports hold a database connection while they stream: slow readers are bounded.

A user runs at most ``EXPORTS_PER_USER`` at once (429), a reader that takes
nothing for ``EXPORT_IDLE_SECONDS`` is dropped, and the 8-second statement timeout
of ordinary queries does not cut a long export off.
"""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from tests.support import ApiServer, register_and_login, run_sql

ROWS = 40_000
NOTES = "n" * 500  # ~20 MB of CSV: far more than the socket buffers hold
# Uncompressed, so the bytes the server must push are the ~20 MB above.
IDENTITY = {"Accept-Encoding": "identity"}
# Linux lets a loopback receive buffer grow to tcp_rmem's maximum (32 MB on our CI
# machines), enough to swallow the whole export, which then finishes and frees its
# slot while the test "stalls". A fixed small buffer turns autotuning off, so an
# unread export really waits on its reader.
SMALL_RECEIVE_BUFFER = [(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)]


def stalling_client(server: ApiServer) -> httpx.Client:
    transport = httpx.HTTPTransport(socket_options=SMALL_RECEIVE_BUFFER)
    return httpx.Client(base_url=server.url, timeout=30, transport=transport)


def start_export_server(database_url, log_dir, idle_seconds: int) -> ApiServer:
    return ApiServer(
        database_url,
        log_dir / "server.log",
        extra_env={
            "EXPORTS_PER_USER": "2",
            "EXPORT_IDLE_SECONDS": str(idle_seconds),
            "DB_TIMEOUT_SECONDS": "1",
        },
    ).start()


@pytest.fixture(scope="module")
def export_server(database_url, tmp_path_factory):
    """Drops a stalled reader after 6 s: room for a loaded machine, short for a test."""
    server = start_export_server(database_url, tmp_path_factory.mktemp("exports"), 6)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def patient_export_server(database_url, tmp_path_factory):
    """Never drops a reader during a test, so only the per-user limit can refuse one."""
    server = start_export_server(database_url, tmp_path_factory.mktemp("patient"), 600)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def heavy_account(export_server, database_url):
    with httpx.Client(base_url=export_server.url, timeout=30) as http:
        account = register_and_login(http)
    run_sql(
        database_url,
        "INSERT INTO expense (user_id, category_id, amount, spent_on, description, notes, "
        "created_at, updated_at, version) "
        "SELECT $1, (SELECT min(id) FROM category WHERE user_id = $1), 1.25, "
        "date '2025-01-01' + (i % 365), 'row ' || i, $2, now(), now(), 1 "
        "FROM generate_series(1, $3) AS i",
        account.profile["id"],
        NOTES,
        ROWS,
    )
    return account


def open_export(http: httpx.Client, headers: dict) -> httpx.Response:
    response = http.send(
        http.build_request("GET", "/api/v1/expenses/export.csv", headers={**headers, **IDENTITY}),
        stream=True,
    )
    return response


def test_a_third_concurrent_export_of_one_user_is_429(patient_export_server, heavy_account):
    with stalling_client(patient_export_server) as http:
        first = open_export(http, heavy_account.headers)
        second = open_export(http, heavy_account.headers)
        try:
            assert (first.status_code, second.status_code) == (200, 200)
            third = http.get("/api/v1/expenses/export.csv", headers=heavy_account.headers)
            assert third.status_code == 429
            assert int(third.headers["retry-after"]) > 0
        finally:
            first.close()
            second.close()


def test_an_idle_reader_is_dropped_and_its_slot_freed(export_server, heavy_account):
    with stalling_client(export_server) as http:
        stalled = [open_export(http, heavy_account.headers) for _ in range(2)]
        try:
            # Read nothing: after EXPORT_IDLE_SECONDS (6 s here, room for a loaded
            # machine) the server gives up on these readers and frees their slots.
            deadline = time.monotonic() + 15
            while (
                again := http.get("/api/v1/expenses/export.csv", headers=heavy_account.headers)
            ).status_code == 429:
                assert time.monotonic() < deadline, "the stalled exports kept their slots"
                time.sleep(0.5)
            assert again.status_code == 200
            assert again.text.count("\n") == ROWS + 1
        finally:
            for response in stalled:
                response.close()


def test_a_slow_whole_export_outlives_the_statement_timeout(export_server, heavy_account):
    """DB_TIMEOUT_SECONDS is 1 s on this server; reading slowly takes longer than that."""
    started = time.monotonic()
    lines = 0
    with (
        httpx.Client(base_url=export_server.url, timeout=30) as http,
        http.stream(
            "GET", "/api/v1/expenses/export.csv", headers=heavy_account.headers
        ) as response,
    ):
        assert response.status_code == 200
        for index, chunk in enumerate(response.iter_bytes(1 << 20)):
            lines += chunk.count(b"\n")
            if index < 3:
                time.sleep(0.6)  # a slow reader, within the idle limit
    assert lines == ROWS + 1
    assert time.monotonic() - started > 1.5
