"""Fixtures shared by the API tests that talk to PostgreSQL directly."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest


@pytest.fixture(scope="module")
def db(database_url):
    """One event loop and connection for every example of a module (the rollup
    property tests run hundreds of examples; a connection each would dominate)."""
    loop = asyncio.new_event_loop()
    conn = loop.run_until_complete(asyncpg.connect(database_url))
    yield loop, conn
    loop.run_until_complete(conn.close())
    loop.close()
