"""What the rollup costs a create in its worst case: every writer in one bucket.

32 connections insert for one user, one category and one month through the API's
own insert SQL, with the rollup triggers and then with them disabled (the same
INSERT without rollup maintenance), twice each, interleaved so that a machine that
slows down during the run hurts both sides alike.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg

from api.database import keep_session
from api.expenses import queries
from tests.benchmarks.load import CONNECTIONS, Throughput, floor
from tests.benchmarks.report import Row
from wire.expenses import ExpenseCreate

UNCOUNTED = "bench, not in the rollup"
ROLLUP_TRIGGERS = (
    "expense_rollup_after_insert",
    "expense_rollup_split_after_insert",
    "expense_rollup_after_delete",
    "expense_rollup_after_update",
)


async def _set_rollup_triggers(url: str, enabled: bool) -> None:
    conn = await asyncpg.connect(url)
    try:
        for trigger in ROLLUP_TRIGGERS:
            action = "ENABLE" if enabled else "DISABLE"
            await conn.execute(f"ALTER TABLE expense {action} TRIGGER {trigger}")
    finally:
        await conn.close()


async def contention_rows(
    url: str, user_id: int, category_id: int, today: date, seconds: float
) -> list[Row]:
    def creating(description: str):
        payload = ExpenseCreate(
            amount=Decimal("12.34"),
            category_id=category_id,
            spent_on=today,
            description=description,
        )

        async def create(conn: asyncpg.Connection) -> None:
            async with conn.transaction():
                await queries.insert(conn, user_id, payload)

        return create

    pool = await asyncpg.create_pool(
        url, min_size=CONNECTIONS, max_size=CONNECTIONS, reset=keep_session
    )
    with_rollups: list[Throughput] = []
    without: list[Throughput] = []
    try:
        for _ in range(2):
            await _set_rollup_triggers(url, enabled=False)
            try:
                without.append(await floor(pool, creating(UNCOUNTED), seconds))
            finally:
                await _set_rollup_triggers(url, enabled=True)
            with_rollups.append(await floor(pool, creating("bench"), seconds))
        # The rows written without the triggers are not in the rollup: they go the
        # same way, so the rollup stays exact for the measures that follow.
        await _set_rollup_triggers(url, enabled=False)
        try:
            await pool.execute(
                "DELETE FROM expense WHERE user_id = $1 AND description = $2", user_id, UNCOUNTED
            )
        finally:
            await _set_rollup_triggers(url, enabled=True)
    finally:
        await pool.close()
    ours = sum(t.requests_per_second for t in with_rollups) / len(with_rollups)
    plain = sum(t.requests_per_second for t in without) / len(without)
    ratio = ours / plain
    return [
        Row(
            f"create, {CONNECTIONS} writers in one bucket (SQL)",
            f"{ours:,.0f} inserts/s",
            f"{max(t.p99_ms for t in with_rollups):.1f} ms",
            "the same INSERT without rollup maintenance",
            f"{plain:,.0f} inserts/s",
            ratio,
            ">= 0.95x",
            ratio >= 0.95,
        )
    ]
