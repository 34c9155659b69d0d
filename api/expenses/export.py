"""Streamed CSV export: PostgreSQL's ``COPY ... TO STDOUT`` piped to the response.

COPY writes RFC 4180 CSV itself, far faster than formatting rows in Python; the
formula escaping of API.md is done in the SELECT. A bounded queue between the
COPY and the response keeps memory constant whatever the row count, and makes a
slow client slow down the COPY rather than fill the server's memory.

An export holds a database connection for as long as its reader takes, so it is
bounded three ways: a reader that takes nothing for ``EXPORT_IDLE_SECONDS`` is
dropped, a user runs at most ``EXPORTS_PER_USER`` at once (429; counted in the
database, so across every API process), and exports hold at most half of this
process's pool (503), so slow downloads can never starve other requests.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import date

import asyncpg

from api.database import pool
from api.errors import Problem
from api.expenses.csv_format import FORMULA_TRIGGERS, TAG_SEPARATOR
from api.expenses.filters import ExpenseFilters
from api.settings import Settings
from api.tags.queries import EXPENSE_TAGS_SQL

QUEUE_CHUNKS = 16
_SLOT_LOCK = (
    "SELECT pg_try_advisory_lock(hashtextextended('expense-export:' || $1 || ':' || $2, 0))"
)
_SLOT_UNLOCK = (
    "SELECT pg_advisory_unlock(hashtextextended('expense-export:' || $1 || ':' || $2, 0))"
)


class _ExportCapacity:
    """Exports running in this process, at most half of its pool."""

    def __init__(self) -> None:
        self.running = 0

    def limit(self, settings: Settings) -> int:
        return max(1, settings.db_pool_max_size // 2)


_capacity = _ExportCapacity()


def formula_guarded(column: str) -> str:
    """SQL for ``column`` with API.md's formula guard: the one place the rule is applied.

    Characters are written as ``chr(n)``, so tab, carriage return and the quote
    itself need no escaping inside the SQL text.
    """
    triggers = ", ".join(f"chr({ord(trigger)})" for trigger in FORMULA_TRIGGERS)
    return f"CASE WHEN left({column}, 1) IN ({triggers}) THEN chr(39) || {column} ELSE {column} END"


def export_query(filters: ExpenseFilters, user_id: int) -> tuple[str, list[object]]:
    """One row per expense, or per part of a split one (API.md, CSV second release).

    A part's row carries the expense's date, description, notes, currency and tags
    with its own category, amount and base amount (``split_lines``, m0015); the
    parts of one expense share its id as their ``split_group``.
    """
    where, args = filters.where(user_id)
    tags = f"array_to_string({EXPENSE_TAGS_SQL}, '{TAG_SEPARATOR}')"
    sql = f"""
        SELECT to_char(e.spent_on, 'YYYY-MM-DD') AS date,
               {formula_guarded("c.name")} AS category,
               {formula_guarded("e.description")} AS description,
               line.amount::text AS amount,
               {formula_guarded("e.notes")} AS notes,
               e.currency,
               line.base_amount::numeric(20, 2)::text AS base_amount,
               -- NULL, not '': COPY writes it as a bare empty cell rather than "".
               nullif({formula_guarded(tags)}, '') AS tags,
               CASE WHEN e.split_amounts IS NOT NULL THEN e.id::text END AS split_group
        FROM expense e
        CROSS JOIN LATERAL (
            SELECT e.category_id, e.amount, e.base_amount, 0 AS part
            WHERE e.split_amounts IS NULL
            UNION ALL
            SELECT s.category_id, s.amount, s.base_amount, s.part
            FROM split_lines(e.split_category_ids, e.split_amounts, e.amount, e.base_amount) s
            WHERE e.split_amounts IS NOT NULL
        ) AS line
        JOIN category c ON c.id = line.category_id
        WHERE {where}
        ORDER BY e.spent_on DESC, e.id DESC, line.part
    """
    return sql, args


def export_filename(filters: ExpenseFilters, today: date) -> str:
    start = filters.date_from.isoformat() if filters.date_from else "start"
    end = filters.date_to.isoformat() if filters.date_to else today.isoformat()
    return f"expenses-{start}-to-{end}.csv"


async def open_csv_stream(
    filters: ExpenseFilters, user_id: int, settings: Settings
) -> AsyncIterator[bytes]:
    """The CSV in the chunks COPY produces, started before the response is.

    Waiting for the first chunk (the header at least) here means a database that
    is down, or a limit reached, is answered with a proper 503 or 429, not a
    response cut off mid-stream.
    """
    chunks = _stream_csv(filters, user_id, settings)
    first = await anext(chunks)

    async def rest() -> AsyncIterator[bytes]:
        yield first
        async for chunk in chunks:
            yield chunk

    return rest()


async def _take_slot(conn: asyncpg.Connection, user_id: int, slots: int) -> int | None:
    for slot in range(slots):
        if await conn.fetchval(_SLOT_LOCK, str(user_id), str(slot)):
            return slot
    return None


async def _stream_csv(
    filters: ExpenseFilters, user_id: int, settings: Settings
) -> AsyncIterator[bytes]:
    if _capacity.running >= _capacity.limit(settings):
        raise Problem(
            503, "Too many downloads are running; retry shortly.", headers={"Retry-After": "5"}
        )
    sql, args = export_query(filters, user_id)
    queue: asyncio.Queue[bytes | Exception | None] = asyncio.Queue(maxsize=QUEUE_CHUNKS)

    async def put(data: bytes | bytearray) -> None:
        # A reader that takes nothing for this long has gone away or stalled: the
        # COPY is abandoned and its connection returns to the pool.
        await asyncio.wait_for(queue.put(bytes(data)), settings.export_idle_seconds)

    async def copy() -> None:
        try:
            async with pool().acquire() as conn:
                slot = await _take_slot(conn, user_id, settings.exports_per_user)
                if slot is None:
                    raise Problem(
                        429,
                        f"At most {settings.exports_per_user} downloads of yours can run at once.",
                        headers={"Retry-After": "10"},
                    )
                try:
                    # Not the connection's command_timeout (seconds, for queries):
                    # a large export to a slow reader legitimately takes minutes.
                    await conn.copy_from_query(
                        sql,
                        *args,
                        output=put,
                        format="csv",
                        header=True,
                        encoding="utf-8",
                        timeout=settings.export_timeout_seconds,
                    )
                finally:
                    # Session-level lock, and the pool does not reset sessions.
                    with contextlib.suppress(Exception):
                        await conn.fetchval(_SLOT_UNLOCK, str(user_id), str(slot))
        except Exception as error:  # handed to the consumer, which re-raises it
            await queue.put(error)
        else:
            await queue.put(None)  # end of data

    _capacity.running += 1
    producer = asyncio.create_task(copy())
    try:
        while (chunk := await queue.get()) is not None:
            if isinstance(chunk, Exception):
                raise chunk
            yield chunk
    finally:
        _capacity.running -= 1
        # A client that disconnects cancels this generator; stop the COPY with it.
        if not producer.done():
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer
