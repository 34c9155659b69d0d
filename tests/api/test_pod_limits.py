"""A few requests must not take a pod down: password hashing, CSV parsing, exports.

Each test runs a server of its own so its memory and its event loop are measured
alone. Peak memory is the kernel's high-water mark (VmHWM) of the server process.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from tests.support import PASSWORD, ApiServer, register_and_login, run_sql, unique_email

MEMORY_LIMIT_MIB = 256
PARALLEL_LOGINS = 32


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


@pytest.fixture
def own_server(database_url, tmp_path):
    server = ApiServer(database_url, tmp_path / "server.log").start()
    yield server
    server.stop()


def test_32_parallel_logins_stay_under_256_mib_and_all_answer(own_server):
    with httpx.Client(base_url=own_server.url, timeout=60) as http:
        account = register_and_login(http)
    start = threading.Barrier(PARALLEL_LOGINS)

    def sign_in(_: int) -> int:
        with httpx.Client(base_url=own_server.url, timeout=60) as http:
            start.wait()
            body = {"email": account.email, "password": PASSWORD}
            return http.post("/api/v1/auth/login", json=body).status_code

    with ThreadPoolExecutor(PARALLEL_LOGINS) as pool:
        statuses = list(pool.map(sign_in, range(PARALLEL_LOGINS)))
    assert set(statuses) <= {200, 429}, statuses
    peak = peak_rss_mib(own_server.process.pid)
    ok = statuses.count(200)
    print(f"\npeak RSS after {PARALLEL_LOGINS} parallel logins: {peak:.0f} MiB; {ok} signed in")
    assert peak < MEMORY_LIMIT_MIB


def test_a_hash_made_with_the_old_parameters_verifies_and_is_redone(client, database_url):
    email = unique_email("old-hash")
    register_and_login(client, email=email)
    old = PasswordHasher().hash(PASSWORD)  # the library defaults of the first release
    run_sql(database_url, "UPDATE app_user SET password_hash = $2 WHERE email = $1", email, old)
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    stored = run_sql(database_url, "SELECT password_hash FROM app_user WHERE email = $1", email)
    assert stored[0][0].startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_health_answers_while_a_large_import_is_parsed(database_url, tmp_path):
    """Parsing runs in a worker thread: /health is answered before the import is."""
    server = ApiServer(
        database_url, tmp_path / "server.log", extra_env={"MAX_IMPORT_ROWS": "10000000"}
    ).start()
    try:
        with httpx.Client(base_url=server.url, timeout=120) as http:
            account = register_and_login(http)
            rows = "".join(
                f"2025-01-{1 + i % 28:02d},Food,item {i},{i % 90 + 1}.25,\n" for i in range(120_000)
            )
            body = ("date,category,description,amount,notes\n" + rows).encode()[: 5 * 2**20]
            done = threading.Event()
            result: dict[str, httpx.Response] = {}

            def upload() -> None:
                result["import"] = http.post(
                    "/api/v1/expenses/import",
                    params={"dry_run": "true"},
                    content=body,
                    headers={**account.headers, "Content-Type": "text/csv"},
                )
                done.set()

            worker = threading.Thread(target=upload)
            worker.start()
            answered_during = 0
            latencies = []
            with httpx.Client(base_url=server.url, timeout=30) as probe:
                while not done.is_set():
                    response = probe.get("/health")
                    latencies.append(response.elapsed.total_seconds())
                    answered_during += not done.is_set() and response.status_code == 200
            worker.join()
    finally:
        server.stop()
    assert result["import"].status_code in (200, 422), result["import"].text
    assert answered_during > 1
    print(
        f"\n/health during a 5 MiB import: {len(latencies)} answers, "
        f"max {max(latencies) * 1000:.1f} ms"
    )


@pytest.mark.anyio
async def test_csv_parsing_runs_off_the_event_loop_thread(database_url, monkeypatch):
    """The mechanism behind the figure above, shown without timing: the app runs
    in-process (its event loop on this thread) and records where parsing ran."""
    from api import app as app_module
    from api.expenses import importing
    from api.settings import Settings

    threads: list[bool] = []
    real_parse = importing.parse

    def recording_parse(text: str, max_rows: int):
        threads.append(threading.current_thread() is threading.main_thread())
        return real_parse(text, max_rows)

    monkeypatch.setattr(importing, "parse", recording_parse)
    application = app_module.create_app(Settings(app_env="test", database_url=database_url))
    transport = httpx.ASGITransport(app=application)
    async with (
        application.lifespan(),
        httpx.AsyncClient(transport=transport, base_url="http://api") as http,
    ):
        body = {"email": unique_email("thread"), "password": PASSWORD}
        assert (await http.post("/api/v1/auth/register", json=body)).status_code == 201
        tokens = (await http.post("/api/v1/auth/login", json=body)).json()
        response = await http.post(
            "/api/v1/expenses/import",
            content="date,category,description,amount,notes\n2025-01-01,Food,x,1.00,\n",
            headers={
                "Authorization": f"Bearer {tokens['access_token']}",
                "Content-Type": "text/csv",
            },
        )
    assert response.status_code == 200, response.text
    assert threads == [False]  # parsed, and not on the thread that runs the event loop


def test_a_file_of_blank_lines_hits_the_row_cap(client, account):
    body = "date,category,description,amount,notes\n" + "\n" * 50_001
    response = client.post(
        "/api/v1/expenses/import",
        content=body,
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    assert "more than 50000 rows" in response.json()["detail"]


def test_error_reports_quote_at_most_40_characters_of_a_cell(client, account):
    body = "date,category,description,amount,notes\n2025-01-01,Food,x," + "9" * 5000 + ",\n"
    response = client.post(
        "/api/v1/expenses/import",
        content=body,
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "9" * 40 + "…" in message
    assert len(message) < 200


def test_a_second_import_while_one_is_uploading_is_409(client, account, api_url):
    uploading, release = threading.Event(), threading.Event()

    def slow_body():
        yield b"date,category,description,amount,notes\n"
        uploading.set()
        release.wait(30)
        yield b"2025-02-02,Food,slow,1.00,\n"

    result: dict[str, httpx.Response] = {}

    def first() -> None:
        with httpx.Client(base_url=api_url, timeout=60) as http:
            result["first"] = http.post(
                "/api/v1/expenses/import",
                content=slow_body(),
                headers={**account.headers, "Content-Type": "text/csv"},
            )

    worker = threading.Thread(target=first)
    worker.start()
    try:
        assert uploading.wait(30)
        # The first request is on the wire; poll until the server holds it (an empty
        # import is harmless when it gets there first).
        deadline = time.monotonic() + 10
        while True:
            second = client.post(
                "/api/v1/expenses/import",
                content="date,category,description,amount,notes\n",
                headers={**account.headers, "Content-Type": "text/csv"},
            )
            if second.status_code != 200 or time.monotonic() > deadline:
                break
    finally:
        release.set()
        worker.join(60)
    assert second.status_code == 409
    assert result["first"].status_code == 200
    assert result["first"].json()["created"] == 1
