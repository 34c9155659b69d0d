"""Real database faults: a crash under writers, a start while down, a rotated password.

API.md: while the database cannot be reached, requests answer 503 with
``Retry-After`` within 5 seconds; the service heals by itself; a write answered
2xx is durable. These tests stop and start a PostgreSQL of their own.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.api.stoppable_postgres import StoppablePostgres, stoppable_postgres
from tests.support import ApiServer, fresh_database, migrate, register_and_login, run_sql

RECOVERY_SECONDS = 10.0
WRITERS = 4


@pytest.fixture(scope="module")
def postgres() -> Iterator[StoppablePostgres]:
    with stoppable_postgres() as server:
        yield server


@pytest.fixture(scope="module")
def database(postgres: StoppablePostgres) -> Iterator[str]:
    with fresh_database(postgres.tcp_url, prefix="expense_faults") as url:
        migrate(url)
        yield url


class Writer(threading.Thread):
    """Creates expenses until told to stop, retrying each key until it is answered 201."""

    def __init__(self, base_url: str, headers: dict, category: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.base_url, self.headers, self.category, self.stop = base_url, headers, category, stop
        self.statuses: Counter[int] = Counter()
        self.acknowledged: dict[str, int] = {}  # Idempotency-Key -> expense id
        self.retried_keys = 0

    def run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30) as http:
            while not self.stop.is_set():
                key, attempts = uuid.uuid4().hex, 0
                body = {"amount": "1.00", "spent_on": "2026-05-05", "category_id": self.category}
                while True:
                    attempts += 1
                    response = http.post(
                        "/api/v1/expenses",
                        json=body,
                        headers={**self.headers, "Idempotency-Key": key},
                    )
                    self.statuses[response.status_code] += 1
                    if response.status_code == 201:
                        self.acknowledged[key] = response.json()["id"]
                        self.retried_keys += attempts > 1
                        break
                    assert response.status_code == 503, response.text
                    time.sleep(0.2)


def test_a_crash_under_writers_loses_nothing_acknowledged_and_duplicates_nothing(
    postgres, database, tmp_path
):
    server = ApiServer(database, tmp_path / "server.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            account = register_and_login(http)
            category = http.get("/api/v1/categories", headers=account.headers).json()["items"][0]
        stop = threading.Event()
        writers = [
            Writer(server.url, account.headers, category["id"], stop) for _ in range(WRITERS)
        ]
        for writer in writers:
            writer.start()
        time.sleep(1.0)  # writes flowing before the crash (load, not synchronisation)
        postgres.stop(mode="immediate")
        time.sleep(3.0)  # writers meet the outage
        postgres.start()
        restarted = time.monotonic()
        acknowledged_before = sum(len(w.acknowledged) for w in writers)
        while sum(len(w.acknowledged) for w in writers) == acknowledged_before:
            assert time.monotonic() - restarted < RECOVERY_SECONDS, "writes did not resume"
            time.sleep(0.05)
        recovery = time.monotonic() - restarted
        time.sleep(0.5)
        stop.set()
        for writer in writers:
            writer.join(30)
    finally:
        server.stop()
    statuses = sum((w.statuses for w in writers), Counter())
    assert set(statuses) <= {201, 503}, statuses
    assert statuses[503] > 0  # the outage was met
    ids = {i for w in writers for i in w.acknowledged.values()}
    stored = {
        row["id"]
        for row in run_sql(
            database, "SELECT id FROM expense WHERE user_id = $1", account.profile["id"]
        )
    }
    assert ids <= stored  # no acknowledged write lost
    assert len(stored) == len(ids)  # a retried key never created a second expense
    print(
        f"\nfault figures: {dict(statuses)}; writes resumed {recovery:.2f} s after restart; "
        f"{sum(w.retried_keys for w in writers)} keys retried through the outage"
    )


def test_a_server_started_while_the_database_is_down_starts_not_ready(postgres, database, tmp_path):
    postgres.stop()
    try:
        server = ApiServer(database, tmp_path / "server.log").start()
    finally:
        postgres.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            assert http.get("/health").status_code == 200
            started = time.monotonic()
            while (ready := http.get("/ready")).status_code != 200:
                assert ready.status_code == 503
                assert time.monotonic() - started < RECOVERY_SECONDS
                time.sleep(0.2)
            assert server.process.poll() is None
            register_and_login(http)
    finally:
        server.stop()


def test_a_rotated_database_password_is_503_until_the_pod_has_the_new_one(
    postgres, database, tmp_path
):
    role, password = f"rotated_{uuid.uuid4().hex[:6]}", "first-secret"
    run_sql(database, f"CREATE ROLE {role} LOGIN PASSWORD '{password}' SUPERUSER")
    hba = postgres.pgdata / "pg_hba.conf"
    original = hba.read_text()
    hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n" + original)
    run_sql(database, "SELECT pg_reload_conf()")
    url = database.replace("postgres@", f"{role}:{password}@", 1)
    server = ApiServer(url, tmp_path / "server.log", extra_env={"DB_POOL_MIN_SIZE": "1"}).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            account = register_and_login(http)
            # The rotation: a new password, and every existing session of the role ends.
            run_sql(database, f"ALTER ROLE {role} PASSWORD 'second-secret'")
            run_sql(
                database,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
                role,
            )
            refused = http.get("/api/v1/me", headers=account.headers)
            assert refused.status_code == 503, refused.text
            assert int(refused.headers["retry-after"]) > 0
            assert http.get("/ready").status_code == 503
            # The old password is valid again (in production: the pod is restarted
            # with the new one); the same process serves without a restart.
            run_sql(database, f"ALTER ROLE {role} PASSWORD '{password}'")
            assert http.get("/ready").status_code == 200
            assert http.get("/api/v1/me", headers=account.headers).status_code == 200
    finally:
        server.stop()
        hba.write_text(original)
        run_sql(database, "SELECT pg_reload_conf()")


class FreezableProxy(threading.Thread):
    """A TCP relay to PostgreSQL that can go silent: a database host that vanished
    without closing its connections (no FIN, no RST) looks exactly like this."""

    def __init__(self, target_port: int) -> None:
        super().__init__(daemon=True)
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.frozen = threading.Event()

    def run(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if self.frozen.is_set():
                    continue  # swallowed: the peer hears nothing, and nothing closes
                sink.sendall(data)

    def close(self) -> None:
        self.listener.close()


def test_a_silent_database_host_is_a_503_within_five_seconds(postgres, database, tmp_path):
    proxy = FreezableProxy(postgres.port)
    proxy.start()
    url = database.replace(f":{postgres.port}/", f":{proxy.port}/", 1)
    server = ApiServer(url, tmp_path / "server.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            account = register_and_login(http)
            proxy.frozen.set()
            started = time.monotonic()
            response = http.get("/api/v1/me", headers=account.headers)
            waited = time.monotonic() - started
    finally:
        server.stop()
        proxy.close()
    assert response.status_code == 503, response.text
    assert int(response.headers["retry-after"]) > 0
    print(f"\nsilent database answered 503 after {waited:.2f} s")
    assert waited < 5.0  # API.md: within 5 seconds, never a hang
