"""SQL for bank imports: dedup look-ups, the set-based write, past imports, undo.

Rows travel as one array per column (``unnest``): a 10,000-row statement is a
handful of statements, as in the first release's CSV import (api/expenses/import_sql).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import asyncpg

from api.categories.service import PALETTE
from api.expenses.import_sql import BULK_STATEMENT_SECONDS, CREATE_CATEGORIES_SQL, LOCK_SQL

__all__ = ["LOCK_SQL"]

_KEYED = """
SELECT external_id, deleted_at IS NOT NULL AS trashed FROM expense
WHERE user_id = $1 AND account = $2 AND external_id = ANY($3::text[])
"""
# The first release's duplicate rule for rows without a bank id: a live expense with
# the same date, category, description, amount and currency.
_UNKEYED = """
SELECT r.i FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::text[])
     AS r(i, day, category, description, amount, currency)
WHERE EXISTS (
    SELECT 1 FROM expense e JOIN category c ON c.id = e.category_id
    WHERE e.user_id = $1 AND e.deleted_at IS NULL AND e.spent_on = r.day::date
      AND lower(c.name) = lower(r.category) AND e.description = r.description
      AND e.amount = r.amount AND e.currency = r.currency
)
"""
# The rows convert themselves, once per distinct (currency, day), and the INSERT
# trigger expense_convert_before_insert is off for this statement (m0027): run per
# row, it cost 165-350 ms of a 10,000-row import. Raw SQL, as the whole bulk write:
# the ORM has no INSERT ... SELECT FROM unnest. What is computed here is exactly
# what expense_convert() computes for an unsettled row (the owner's base currency,
# rate_on, convert_amount); tests/api/test_bank_import_convert.py compares them.
_INSERT = """
WITH owner AS (SELECT currency AS base FROM app_user WHERE id = $1),
incoming AS (
    SELECT * FROM unnest($4::bigint[], $5::bigint[], $6::numeric[], $7::text[], $8::text[],
                         $9::text[], $10::text[], $11::text[])
         AS r(id, category_id, amount, currency, day, description, notes, external_id)
),
-- MATERIALIZED: inlined, the planner calls rate_on per row, twice (rate, base_amount).
rates AS MATERIALIZED (
    SELECT d.currency, d.day,
           (SELECT q.rate FROM rate_on(owner.base, d.currency, d.day::date) q) AS rate
    FROM owner, (SELECT DISTINCT currency, day FROM incoming) AS d
)
INSERT INTO expense (id, user_id, category_id, amount, currency, rate, base_amount, spent_on,
                     description, notes, created_at, updated_at, version, import_id, account,
                     external_id)
SELECT r.id, $1, r.category_id, r.amount, r.currency, x.rate, convert_amount(r.amount, x.rate),
       r.day::date, r.description, r.notes, now(), now(), 1, $2, $3, r.external_id
FROM incoming r JOIN rates x ON x.currency = r.currency AND x.day = r.day
ON CONFLICT (user_id, account, external_id) WHERE external_id IS NOT NULL DO NOTHING
RETURNING id
"""
# Transaction-local: rolled back with a failed INSERT, turned off after a good one.
_CONVERTED = "SELECT set_config('expense.converted', $1, true)"
_RECORD = 'SELECT id, created_at, format, account, created FROM "import"'


@dataclass(frozen=True, slots=True)
class NewExpense:
    category_id: int
    amount: Decimal
    currency: str
    spent_on: date
    description: str
    notes: str
    external_id: str | None


@dataclass(frozen=True, slots=True)
class ImportRow:
    id: int
    created_at: datetime
    format: str
    account: str
    created: int


async def categories(conn: asyncpg.Connection, user_id: int) -> dict[int, str]:
    rows = await conn.fetch("SELECT id, name FROM category WHERE user_id = $1", user_id)
    return {row["id"]: row["name"] for row in rows}


async def keyed_duplicates(
    conn: asyncpg.Connection, user_id: int, account: str, external_ids: list[str]
) -> dict[str, bool]:
    """external id → whether the expense holding it is in the trash."""
    if not external_ids:
        return {}
    rows = await conn.fetch(_KEYED, user_id, account, external_ids)
    return {row["external_id"]: row["trashed"] for row in rows}


async def unkeyed_duplicates(
    conn: asyncpg.Connection, user_id: int, rows: list[tuple[int, date, str, str, Decimal, str]]
) -> set[int]:
    """Of ``(index, day, category name, description, amount, currency)``, the duplicates."""
    if not rows:
        return set()
    columns = list(zip(*rows, strict=True))
    days = [day.isoformat() for day in columns[1]]  # text: asyncpg maps extreme dates to infinity
    found = await conn.fetch(
        _UNKEYED, user_id, list(columns[0]), days, *(list(c) for c in columns[2:])
    )
    return {row["i"] for row in found}


async def create_categories(conn: asyncpg.Connection, user_id: int, names: list[str]) -> None:
    """Create the categories ``names`` (not the user's yet), with the palette's next colours."""
    if not names:
        return
    existing = await conn.fetchval("SELECT count(*) FROM category WHERE user_id = $1", user_id)
    colors = [PALETTE[(existing + i) % len(PALETTE)] for i in range(len(names))]
    await conn.execute(CREATE_CATEGORIES_SQL, user_id, names, colors)


async def insert_import(conn: asyncpg.Connection, user_id: int, fmt: str, account: str) -> int:
    return await conn.fetchval(
        'INSERT INTO "import" (user_id, created_at, format, account, created)'
        " VALUES ($1, now(), $2, $3, 0) RETURNING id",
        user_id,
        fmt,
        account,
    )


async def insert_expenses(
    conn: asyncpg.Connection, user_id: int, import_id: int, account: str, rows: list[NewExpense]
) -> list[int | None]:
    """Insert ``rows``: their ids, in order, ``None`` for one not written (its bank id
    is taken: only possible without the import lock)."""
    if not rows:
        return []
    # Ids drawn first, so the caller can link tags to rows without relying on the
    # order of RETURNING.
    ids = await conn.fetchval(
        "SELECT array_agg(nextval(pg_get_serial_sequence('expense', 'id')))"
        " FROM generate_series(1, $1)",
        len(rows),
    )
    await conn.execute(_CONVERTED, "on")
    written = await conn.fetch(
        _INSERT,
        user_id,
        import_id,
        account,
        ids,
        [row.category_id for row in rows],
        [row.amount for row in rows],
        [row.currency for row in rows],
        [row.spent_on.isoformat() for row in rows],
        [row.description for row in rows],
        [row.notes for row in rows],
        [row.external_id for row in rows],
        timeout=BULK_STATEMENT_SECONDS,
    )
    await conn.execute(_CONVERTED, "off")
    kept = {row["id"] for row in written}
    await conn.execute('UPDATE "import" SET created = $2 WHERE id = $1', import_id, len(kept))
    return [expense_id if expense_id in kept else None for expense_id in ids]


async def get(conn: asyncpg.Connection, user_id: int, import_id: int) -> ImportRow | None:
    row = await conn.fetchrow(f"{_RECORD} WHERE id = $1 AND user_id = $2", import_id, user_id)
    return ImportRow(**dict(row)) if row else None


async def page(
    conn: asyncpg.Connection, user_id: int, limit: int, before_id: int | None
) -> list[ImportRow]:
    """Newest first (ids grow with time), ``limit`` rows after the cursor's id."""
    rows = await conn.fetch(
        f"{_RECORD} WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2)"
        " ORDER BY id DESC LIMIT $3",
        user_id,
        before_id,
        limit,
    )
    return [ImportRow(**dict(row)) for row in rows]


async def undo(conn: asyncpg.Connection, user_id: int, import_id: int) -> bool:
    """Move the import's live expenses to the trash and forget the import; in a transaction.

    ``False`` when it is not the user's. The undone expenses give up their bank ids,
    so the same file imports again after an undo (once the rules are fixed, say);
    an expense the user deleted on its own keeps its id and stays a duplicate (m0017).
    """
    found = await conn.fetchval(
        'SELECT 1 FROM "import" WHERE id = $1 AND user_id = $2 FOR UPDATE', import_id, user_id
    )
    if not found:
        return False
    await conn.execute(
        "UPDATE expense SET deleted_at = now(), external_id = NULL"
        " WHERE user_id = $1 AND import_id = $2 AND deleted_at IS NULL",
        user_id,
        import_id,
    )
    await conn.execute('DELETE FROM "import" WHERE id = $1', import_id)
    return True
