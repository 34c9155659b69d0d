"""The pool hands out connections first come, first served (api/piccolo_conf.py)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from api.database import keep_session
from api.piccolo_conf import BoundedAcquirePool


async def _order_served(database_url: str, fair: bool) -> list[str]:
    raw = await asyncpg.create_pool(database_url, min_size=1, max_size=1, reset=keep_session)
    pool = BoundedAcquirePool(raw, 5.0, 1) if fair else raw
    served: list[str] = []
    try:
        holder = await pool.acquire()

        async def take(name: str) -> None:
            async with pool.acquire() as conn:
                served.append(name)
                await conn.fetchval("SELECT 1")

        waiting = [asyncio.create_task(take(name)) for name in ("first", "second")]
        await asyncio.sleep(0.05)  # "first" and "second" wait for the connection
        releasing = asyncio.create_task(pool.release(holder))
        await asyncio.sleep(0)  # the release is under way (asyncpg shields it in a task)
        # A request that arrives while the connection is being handed back, as
        # happens all the time under load, and asks for it before "first" resumes.
        late = asyncio.create_task(take("late"))
        await asyncio.gather(releasing, *waiting, late)
    finally:
        await raw.close()
    return served


def test_a_freed_connection_goes_to_the_oldest_waiter(database_url):
    assert asyncio.run(_order_served(database_url, fair=True)) == [
        "first",
        "second",
        "late",
    ]


def test_asyncpg_alone_lets_a_late_request_jump_the_queue(database_url):
    # Why the wrapper exists: without it the late request is served first.
    assert asyncio.run(_order_served(database_url, fair=False))[0] == "late"


def test_a_wait_that_times_out_gives_its_place_back(database_url):
    async def scenario() -> int:
        raw = await asyncpg.create_pool(database_url, min_size=1, max_size=1)
        pool = BoundedAcquirePool(raw, 5.0, 1)
        try:
            holder = await pool.acquire()
            with pytest.raises(TimeoutError):
                await pool.acquire(timeout=0.1)
            await pool.release(holder)
            async with pool.acquire(timeout=1) as conn:  # the slot was not lost
                return await conn.fetchval("SELECT 7")
        finally:
            await raw.close()

    assert asyncio.run(scenario()) == 7
