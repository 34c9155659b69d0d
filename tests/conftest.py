"""Session-wide services: one PostgreSQL with a fresh database, one API server."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

from tests.support import (
    Account,
    ApiServer,
    fresh_database,
    migrate,
    postgres_server,
    register_and_login,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server (not a database in it) for the whole run."""
    with postgres_server(tmp_path_factory.mktemp("postgres")) as url:
        yield url


@pytest.fixture(scope="session")
def database_url(postgres_url: str) -> Iterator[str]:
    """A fresh database for this run, migrated like ``expense-api migrate``."""
    with fresh_database(postgres_url) as url:
        migrate(url)
        yield url


@pytest.fixture(scope="session")
def api_server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    server = ApiServer(database_url, tmp_path_factory.mktemp("api") / "server.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def api_url(api_server: ApiServer) -> str:
    return api_server.url


@pytest.fixture
def client(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, timeout=30) as http:
        yield http


@pytest.fixture
def account(client: httpx.Client) -> Account:
    """A freshly registered, signed-in user."""
    return register_and_login(client)


@pytest.fixture
def other_account(client: httpx.Client) -> Account:
    return register_and_login(client)
