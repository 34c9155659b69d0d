"""``expense-api serve --workers N``: several processes behind one port."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import httpx

from api.app import create_app
from api.asgi import YOUNG_GENERATION_THRESHOLD
from api.settings import Settings
from tests.api.helpers import categories
from tests.support import REPO_ROOT, TEST_JWT_SECRET, ApiServer, register_and_login


def test_two_workers_serve_one_port_and_share_the_database(database_url, tmp_path):
    server = ApiServer(database_url, tmp_path / "workers.log", extra_args=["--workers", "2"])
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            account = register_and_login(http)
            food = categories(http, account)["Food"]["id"]
            for i in range(20):  # spread over both workers by the kernel
                created = http.post(
                    "/api/v1/expenses",
                    json={
                        "amount": "2.50",
                        "category_id": food,
                        "spent_on": "2026-05-0" + str(1 + i % 9),
                    },
                    headers=account.headers,
                )
                assert created.status_code == 201, created.text
            page = http.get("/api/v1/expenses?limit=100", headers=account.headers).json()
            assert len(page["items"]) == 20
            # A logout seen by one worker is seen by the other at once.
            logout = http.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})
            assert logout.status_code == 204
            answers = {
                http.get("/api/v1/ping", headers=account.headers).status_code for _ in range(10)
            }
            assert answers == {401}
    finally:
        assert server.stop() == 0


def test_workers_refuse_the_embedded_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TEST_DATABASE_URL")}
    env["HOME"] = str(tmp_path)
    finished = subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--workers", "2"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert "--workers needs DATABASE_URL" in finished.stderr


def test_a_served_process_settles_its_heap_and_a_test_process_does_not(database_url):
    # In its own interpreter: settling freezes the interpreter's objects for good.
    script = (
        "import gc; from api.asgi import app; app(); "
        "print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "JWT_SECRET": TEST_JWT_SECRET}
    finished = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.split() == [str(YOUNG_GENERATION_THRESHOLD), "True"]
    # Building an app in-process (as the tests do) leaves the collector alone.
    before = gc.get_threshold(), gc.get_freeze_count()
    create_app(Settings(database_url=database_url, jwt_secret=TEST_JWT_SECRET))
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
