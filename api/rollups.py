"""Folding the rollup's delta rows: each bucket back to one row, in the background.

Writes to ``expense`` add rows to ``expense_monthly_rollup`` (and, with
``expense_tag``, to ``expense_tag_rollup``, m0026) instead of updating a shared
one (m0022: concurrent writes of one user never queue behind each other's commit).
A bucket is the sum of its rows, so folding changes no answer; it only keeps the
rows a reader sums few. Raw SQL: one statement that deletes a bucket's
rows and inserts their sum, which Piccolo's query builder cannot express.

Why it is exact under concurrency: the statement sees the rows committed when it
started; rows committed later are neither deleted nor summed, so they stay as
they are. The deletion and the folded row commit together, so a reader sees
either the rows or their sum. One folder runs at a time across every API
process (a transaction-level advisory lock); a second one would only wait and
then skip the rows already gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import asyncpg

from api.database import pool

log = logging.getLogger(__name__)

# A few seconds of writes: even 2,000 creates a second into one bucket leave a
# reader a few thousand small rows to sum before the next fold.
FOLD_EVERY_SECONDS = 2.0
# Buckets per statement: bounds one fold's transaction after a bulk import.
FOLD_BATCH = 5_000
_FOLD_KEY = "hashtextextended('expense-rollup-fold', 0)"
_FOLD_LOCK = f"SELECT pg_try_advisory_xact_lock({_FOLD_KEY})"
_FOLD_LOCK_WAIT = f"SELECT true FROM pg_advisory_xact_lock({_FOLD_KEY})"


def _fold_sql(table: str, key: str, sums: tuple[str, ...]) -> str:
    """Fold up to FOLD_BATCH of ``table``'s buckets: their rows deleted, their sum inserted."""
    summed = ", ".join(f"sum({column})" for column in sums)
    nonzero = " OR ".join(f"sum({column}) <> 0" for column in sums)
    return f"""
WITH owners AS (
    -- Key-share locked first, skipping an account being deleted: its deletion holds
    -- the account and then cascades to these rows, while a fold holding one of them
    -- would wait for the account (to insert the folded row): a deadlock.
    SELECT id FROM app_user
    WHERE id IN (SELECT user_id FROM {table} WHERE NOT folded)
    FOR KEY SHARE SKIP LOCKED
), dirty AS (
    SELECT DISTINCT {key} FROM {table}
    WHERE NOT folded AND user_id IN (SELECT id FROM owners)
    LIMIT {FOLD_BATCH}
), gone AS (
    DELETE FROM {table} r
    USING dirty d
    WHERE ({", ".join(f"r.{c}" for c in key.split(", "))})
        = ({", ".join(f"d.{c}" for c in key.split(", "))})
    RETURNING r.*
), folded AS (
    INSERT INTO {table} ({key}, {", ".join(sums)}, folded)
    SELECT {key}, {summed}, true
    FROM gone
    GROUP BY {key}
    -- A bucket whose expenses all moved away or went to the trash disappears
    -- (so does a deleted tag's: its links went first).
    HAVING {nonzero}
)
SELECT (SELECT count(*) FROM dirty) AS buckets, (SELECT count(*) FROM gone) AS rows
"""


_FOLDS = (
    _fold_sql(
        "expense_monthly_rollup",
        "user_id, category_id, month, currency",
        ("total", "count", "expenses", "unconverted"),
    ),
    # The per-tag rollup (m0026), the same design: folded under the same lock.
    _fold_sql(
        "expense_tag_rollup",
        "user_id, tag_id, month, currency",
        ("total", "count", "unconverted"),
    ),
)


async def fold(conn: asyncpg.Connection, *, wait: bool = False) -> tuple[int, int]:
    """Fold every bucket with delta rows (batch by batch); (buckets, rows) folded.

    (0, 0) as well when another process is folding right now, unless ``wait``:
    then it folds after that one, for a caller that must see every bucket folded
    (the property tests, which share the database with a server folding on its own).
    """
    buckets = rows = 0
    while True:
        async with conn.transaction():
            if not await conn.fetchval(_FOLD_LOCK_WAIT if wait else _FOLD_LOCK):
                return buckets, rows
            done = [await conn.fetchrow(statement) for statement in _FOLDS]
        buckets += sum(each["buckets"] for each in done)
        rows += sum(each["rows"] for each in done)
        if all(each["buckets"] < FOLD_BATCH for each in done):
            return buckets, rows


async def fold_forever(every: float = FOLD_EVERY_SECONDS) -> None:
    """The API's background folder: runs until cancelled, survives database outages."""
    while True:
        await asyncio.sleep(every)
        try:
            async with pool().acquire() as conn:
                await fold(conn)
        except asyncio.CancelledError:
            raise
        except Exception:  # a database outage: the next round tries again
            log.warning("rollup fold failed; retrying in %s s", every, exc_info=True)


@contextlib.asynccontextmanager
async def folding() -> AsyncIterator[None]:
    """Run :func:`fold_forever` for as long as the block runs (the app's lifespan)."""
    task = asyncio.create_task(fold_forever(), name="rollup-fold")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
