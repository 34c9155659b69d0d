"""Probes, metrics, problem details, request ids, JSON logs, proxies, graceful shutdown."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support import (
    PASSWORD,
    REPO_ROOT,
    TEST_JWT_SECRET,
    ApiServer,
    free_port,
    run_sql,
    unique_email,
)

INTERNALS = ("Traceback", 'File "', "SELECT ", "asyncpg", "piccolo", "litestar", TEST_JWT_SECRET)


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    for marker in INTERNALS:
        assert marker not in response.text
    return body


def test_health_and_ready(client):
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


def test_client_mistakes_are_4xx_problem_details(client, account):
    assert_problem(client.post("/api/v1/auth/login", content=b'{"email": '), 400)
    assert_problem(client.post("/api/v1/auth/login", content=b"\xff\xfe"), 400)
    assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert_problem(client.delete("/health"), 405)
    assert_problem(client.get("/api/v1/me"), 401)
    no_password = client.post("/api/v1/auth/register", json={"email": "x@example.com"})
    body = assert_problem(no_password, 422)
    assert "password" in {error["field"] for error in body["errors"]}


def test_oversized_bodies_are_413(client):
    huge = b'{"email": "' + b"a" * (11 * 1024 * 1024) + b'"}'
    response = client.post(
        "/api/v1/auth/login", content=huge, headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413)


def test_every_answer_carries_its_own_request_id(client):
    responses = [
        client.get("/health"),
        client.get("/api/v1/no-such-thing"),
        client.delete("/health"),
        client.get("/api/v1/me"),
        client.post("/api/v1/auth/login", json={}),
    ]
    ids = [response.headers.get("x-request-id") for response in responses]
    assert all(ids)
    assert len(set(ids)) == len(ids)


def test_a_callers_request_id_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/health", headers={"X-Request-ID": "trace-abc-123"})
    assert kept.headers["x-request-id"] == "trace-abc-123"
    hostile = "fake\r\nid; <script>"
    replaced = client.get("/health", headers={"X-Request-ID": hostile.replace("\r\n", " ")})
    assert replaced.headers["x-request-id"].isalnum()


def test_metrics_are_prometheus_text_with_bounded_path_labels(client, account):
    client.get("/api/v1/me", headers=account.headers)
    for expense_id in (987654321, 987654322):  # unknown ids: 404, but the route matched
        client.get(f"/api/v1/expenses/{expense_id}", headers=account.headers)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "requests_total{" in response.text
    assert 'app_name="expense_api"' in response.text
    assert 'path="/api/v1/me"' in response.text
    # One series per route template, never one per id.
    assert "98765432" not in response.text
    assert 'path="/api/v1/expenses/{' in response.text


@pytest.fixture(scope="module")
def observed_server(database_url, tmp_path_factory) -> Iterator[ApiServer]:
    """A server of our own: its log file, debug logs, and a proxy we are not."""
    log = tmp_path_factory.mktemp("observed") / "server.log"
    server = ApiServer(
        database_url, log, extra_env={"LOG_LEVEL": "debug", "FORWARDED_ALLOW_IPS": "10.9.9.9"}
    ).start()
    yield server
    server.stop()


def test_logs_are_json_with_request_ids_and_no_secrets(observed_server):
    email, wrong = unique_email("logged"), "Wrong-Horse-Battery-9"
    with httpx.Client(base_url=observed_server.url, timeout=30) as http:
        http.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        good = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        bad = http.post("/api/v1/auth/login", json={"email": email, "password": wrong})
        pair = http.post(
            "/api/v1/auth/refresh", json={"refresh_token": good.json()["refresh_token"]}
        )
        me = http.get(
            "/api/v1/me", headers={"Authorization": f"Bearer {pair.json()['access_token']}"}
        )
    assert (good.status_code, bad.status_code, pair.status_code, me.status_code) == (
        200,
        401,
        200,
        200,
    )
    observed_server.stop()  # flush and close the log

    text = observed_server.log_path.read_text()
    for secret in (
        PASSWORD,
        wrong,
        good.json()["access_token"],
        good.json()["refresh_token"],
        pair.json()["access_token"],
        pair.json()["refresh_token"],
        TEST_JWT_SECRET,
    ):
        assert secret not in text
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert records
    assert all({"event", "level", "timestamp"} <= set(record) for record in records)
    request_ids = {r.get("request_id") for r in records if r.get("logger") == "api.request"}
    assert me.headers["x-request-id"] in request_ids
    assert bad.headers["x-request-id"] in request_ids


def test_forwarded_for_is_believed_only_from_trusted_proxies(client, database_url, tmp_path):
    spoofed = {"X-Forwarded-For": "198.51.100.77"}
    server = ApiServer(
        database_url, tmp_path / "untrusting.log", extra_env={"FORWARDED_ALLOW_IPS": "10.9.9.9"}
    ).start()
    try:
        body = {"email": unique_email("xff"), "password": "not the password"}
        httpx.post(f"{server.url}/api/v1/auth/login", json=body, headers=spoofed, timeout=30)
    finally:
        server.stop()
    query = "SELECT count(*) AS n FROM login_failure WHERE subject = $1"
    assert run_sql(database_url, query, "ip:198.51.100.77")[0]["n"] == 0
    # The session server trusts 127.0.0.1 (the default), so there the header counts.
    trusted = {"X-Forwarded-For": "203.0.113.55"}
    body = {"email": unique_email("xff"), "password": "not the password"}
    client.post("/api/v1/auth/login", json=body, headers=trusted)
    assert run_sql(database_url, query, "ip:203.0.113.55")[0]["n"] == 1


def test_sigterm_finishes_the_request_in_flight_then_exits_0(database_url, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "DATABASE_URL": database_url,
        "JWT_SECRET": TEST_JWT_SECRET,
        "LOG_LEVEL": "INFO",
        "SHUTDOWN_GRACE_SECONDS": "10",
        "REGISTER_LIMIT_PER_HOUR": "1000000",
    }
    with (tmp_path / "server.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        body_started = threading.Event()
        result: dict[str, httpx.Response] = {}

        def slow_body() -> Iterator[bytes]:
            # The request is accepted and being read when SIGTERM arrives.
            yield b'{"email": "' + unique_email("drain").encode() + b'", '
            body_started.set()
            time.sleep(1.5)
            yield b'"password": "' + PASSWORD.encode() + b'"}'

        def register() -> None:
            result["response"] = httpx.post(
                f"{url}/api/v1/auth/register",
                content=slow_body(),
                timeout=30,
                headers={"Content-Type": "application/json"},
            )

        worker = threading.Thread(target=register)
        worker.start()
        assert body_started.wait(10)
        time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        with pytest.raises(httpx.ConnectError):  # no new connections once draining
            httpx.get(f"{url}/health", timeout=2)
        worker.join(20)
        assert result["response"].status_code == 201, result["response"].text
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "server exited early"
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("server did not start")
