"""Streamed CSV export: PostgreSQL's ``COPY ... TO STDOUT`` piped to the response.

COPY writes RFC 4180 CSV itself, far faster than formatting rows in Python; the
formula escaping of API.md is done in the SELECT. A bounded queue between the
COPY and the response keeps memory constant whatever the row count, and makes a
slow client slow down the COPY rather than fill the server's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import date

from api.database import pool
from api.expenses.csv_format import FORMULA_TRIGGERS
from api.expenses.filters import ExpenseFilters

QUEUE_CHUNKS = 16


def _escaped(column: str) -> str:
    triggers = ", ".join("'" + t.replace("'", "''") + "'" for t in FORMULA_TRIGGERS)
    triggers = triggers.replace("'\t'", "E'\\t'").replace("'\r'", "E'\\r'")
    return f"CASE WHEN left({column}, 1) IN ({triggers}) THEN '''' || {column} ELSE {column} END"


def export_query(filters: ExpenseFilters, user_id: int) -> tuple[str, list[object]]:
    where, args = filters.where(user_id)
    sql = f"""
        SELECT to_char(e.spent_on, 'YYYY-MM-DD') AS date,
               {_escaped("c.name")} AS category,
               {_escaped("e.description")} AS description,
               e.amount::text AS amount,
               {_escaped("e.notes")} AS notes
        FROM expense e JOIN category c ON c.id = e.category_id
        WHERE {where}
        ORDER BY e.spent_on DESC, e.id DESC
    """
    return sql, args


def export_filename(filters: ExpenseFilters, today: date) -> str:
    start = filters.date_from.isoformat() if filters.date_from else "start"
    end = filters.date_to.isoformat() if filters.date_to else today.isoformat()
    return f"expenses-{start}-to-{end}.csv"


async def open_csv_stream(filters: ExpenseFilters, user_id: int) -> AsyncIterator[bytes]:
    """The CSV in the chunks COPY produces, started before the response is.

    Waiting for the first chunk (the header at least) here means a database that
    is down is answered with a proper 503, not a response cut off mid-stream.
    """
    chunks = _stream_csv(filters, user_id)
    first = await anext(chunks)

    async def rest() -> AsyncIterator[bytes]:
        yield first
        async for chunk in chunks:
            yield chunk

    return rest()


async def _stream_csv(filters: ExpenseFilters, user_id: int) -> AsyncIterator[bytes]:
    sql, args = export_query(filters, user_id)
    queue: asyncio.Queue[bytes | Exception | None] = asyncio.Queue(maxsize=QUEUE_CHUNKS)

    async def put(data: bytes | bytearray) -> None:
        await queue.put(bytes(data))

    async def copy() -> None:
        try:
            async with pool().acquire() as conn:
                await conn.copy_from_query(
                    sql, *args, output=put, format="csv", header=True, encoding="utf-8"
                )
        except Exception as error:  # handed to the consumer, which re-raises it
            await queue.put(error)
        else:
            await queue.put(None)  # end of data

    producer = asyncio.create_task(copy())
    try:
        while (chunk := await queue.get()) is not None:
            if isinstance(chunk, Exception):
                raise chunk
            yield chunk
    finally:
        # A client that disconnects cancels this generator; stop the COPY with it.
        if not producer.done():
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer
