"""Unexpected errors: the app answers problem details and keeps its internals to itself.

A crash cannot be provoked through the real routes, so these tests add one to the
real app (``create_app``) and run it in-process through its own lifespan.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import asyncpg
import httpx
import pytest
from litestar import get

from api.app import create_app
from api.settings import Settings
from tests.support import TEST_JWT_SECRET

SECRET_SQL = 'SELECT password_hash FROM app_user WHERE email = "ada@example.com"'


@get("/api/crash/bug", exclude_from_auth=True, sync_to_thread=False)
def crash_with_a_bug() -> None:
    raise RuntimeError(f"{SECRET_SQL} failed; JWT_SECRET={TEST_JWT_SECRET}")


@get("/api/crash/sql", exclude_from_auth=True)
async def crash_in_sql() -> None:
    raise asyncpg.exceptions.UndefinedColumnError(f'column "x" does not exist in {SECRET_SQL}')


@get("/api/crash/database-gone", exclude_from_auth=True)
async def database_gone() -> None:
    raise asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle")


@get("/api/crash/refused", exclude_from_auth=True)
async def database_refused() -> None:
    raise ConnectionRefusedError(111, "Connect call failed ('10.0.0.5', 5432)")


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    # create_app() configures the process' logging for a server; give pytest's back.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers, root.level = handlers, level
    logging.captureWarnings(False)


def call(database_url: str, *paths: str) -> list[httpx.Response]:
    settings = Settings(app_env="test", database_url=database_url, jwt_secret=TEST_JWT_SECRET)
    app = create_app(settings)
    for handler in (crash_with_a_bug, crash_in_sql, database_gone, database_refused):
        app.register(handler)

    async def run() -> list[httpx.Response]:
        async with app.lifespan():
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
                return [await http.get(path) for path in paths]

    return asyncio.run(run())


def test_unexpected_errors_are_500_problem_details_without_internals(database_url):
    for response in call(database_url, "/api/crash/bug", "/api/crash/sql"):
        assert response.status_code == 500
        assert response.headers["content-type"].startswith("application/problem+json")
        body = response.json()
        assert body["status"] == 500
        assert body["title"]
        assert body["detail"]
        for leak in ("SELECT", "password_hash", "ada@example.com", TEST_JWT_SECRET, "Traceback"):
            assert leak not in response.text


def test_a_lost_database_is_503_with_retry_after(database_url):
    for response in call(database_url, "/api/crash/database-gone", "/api/crash/refused"):
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        assert int(response.headers["retry-after"]) > 0
        assert "10.0.0.5" not in response.text
