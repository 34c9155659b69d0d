"""A summary that scans every matching row stops when its client disconnects.

The scan is held still by a lock on ``expense`` taken in another transaction: the
summary's statement waits for it in PostgreSQL. Its client then closes the
connection; the statement must leave PostgreSQL while the lock is still held (it
was cancelled), not once the lock goes (it ran for nobody). The server answers
the next summary from the same pool as usual.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import urlsplit

import asyncpg

from tests.api.helpers import add_expense, category_id

WAITING = """
    SELECT count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND state = 'active'
      AND wait_event_type = 'Lock' AND query ILIKE '%ILIKE%'"""


async def until(conn: asyncpg.Connection, wanted: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    # Polling another process (the database): no event to wait on.
    while (count := await conn.fetchval(WAITING)) != wanted and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    return count


async def abandon_a_scan(api_url: str, database_url: str, token: str) -> tuple[int, int, int]:
    """Waiting statements: while the client waits, after it left, after the lock went."""
    locker = await asyncpg.connect(database_url)
    watcher = await asyncpg.connect(database_url)
    try:
        lock = locker.transaction()
        await lock.start()
        await locker.execute("LOCK TABLE expense IN ACCESS EXCLUSIVE MODE")
        url = urlsplit(api_url)
        _, writer = await asyncio.open_connection(url.hostname, url.port)
        writer.write(
            f"GET /api/v1/expenses/summary?q=coffee HTTP/1.1\r\nHost: {url.netloc}\r\n"
            f"Authorization: Bearer {token}\r\n\r\n".encode()
        )
        await writer.drain()
        waiting = await until(watcher, 1, 10)
        writer.close()
        await writer.wait_closed()
        # Well inside the statement's own timeout (DB_TIMEOUT_SECONDS / 2 = 2 s),
        # which would end it as well.
        left = await until(watcher, 0, 1)
        await lock.rollback()
        return waiting, left, await until(watcher, 0, 5)
    finally:
        await locker.close()
        await watcher.close()


def test_a_scanning_summary_is_cancelled_when_its_client_leaves(
    client, account, api_url, database_url
):
    food = category_id(client, account)
    add_expense(client, account, amount="4.50", category_id=food, description="Coffee")
    add_expense(client, account, amount="9.00", category_id=food, description="Lunch")

    waiting, after_leaving, _ = asyncio.run(
        abandon_a_scan(api_url, database_url, account.access_token)
    )
    assert waiting == 1  # the scan was held by the lock, as the test needs
    assert after_leaving == 0  # cancelled while the lock was still held

    answer = client.get("/api/v1/expenses/summary", params={"q": "COFFEE"}, headers=account.headers)
    assert answer.status_code == 200
    assert answer.json()["count"] == 1
    assert answer.json()["total"] == "4.50"
