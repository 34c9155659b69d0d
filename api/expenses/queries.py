"""SQL for the expense hot paths, run straight on the asyncpg pool behind Piccolo.

These endpoints are the busiest of the API; Piccolo's query builder cost ~35 % of
their throughput in measurements, so they are written as SQL (prepared and cached
per connection by asyncpg) against the same engine, pool and tables.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from api.expenses.filters import ExpenseFilters
from api.preconditions import IfMatch
from wire.expenses import Expense, ExpenseCreate, ExpenseSummary

# Where each field of wire.expenses.Expense comes from, in the struct's own field
# order, so a row unpacks straight into the struct (see to_expense).
_FIELD_SQL = {"category": "c.name"}
EXPENSE_COLUMNS = ", ".join(
    f"{_FIELD_SQL.get(name, 'e.' + name)} AS {name}" for name in Expense.__struct_fields__
)

_INSERT = f"""
WITH e AS (
    INSERT INTO expense (user_id, category_id, amount, spent_on, description, notes,
                         created_at, updated_at, version)
    SELECT $1, c.id, $3, $4, $5, $6, now(), now(), 1
    FROM category c WHERE c.id = $2 AND c.user_id = $1
    RETURNING *
)
SELECT {EXPENSE_COLUMNS} FROM e JOIN category c ON c.id = e.category_id
"""

_GET = f"""
SELECT {EXPENSE_COLUMNS} FROM expense e JOIN category c ON c.id = e.category_id
WHERE e.id = $1 AND e.user_id = $2
"""

_DELETE = "DELETE FROM expense WHERE id = $1 AND user_id = $2"

_CATEGORY_OWNED = "SELECT true FROM category WHERE id = $1 AND user_id = $2"


def to_expense(row: asyncpg.Record) -> Expense:
    # Positional: the list builds 50 of these per request, and EXPENSE_COLUMNS is
    # generated from Expense's own field order.
    return Expense(*row)


async def insert(conn: asyncpg.Connection, user_id: int, data: ExpenseCreate) -> Expense | None:
    """The created expense, or ``None`` when the category is not the user's."""
    try:
        row = await conn.fetchrow(
            _INSERT,
            user_id,
            data.category_id,
            data.amount,
            data.spent_on,
            data.description,
            data.notes,
        )
    except asyncpg.ForeignKeyViolationError:
        return None  # the category was deleted while this insert waited for it
    return to_expense(row) if row else None


async def get(conn: asyncpg.Connection, user_id: int, expense_id: int) -> Expense | None:
    row = await conn.fetchrow(_GET, expense_id, user_id)
    return to_expense(row) if row else None


async def category_owned(conn: asyncpg.Connection, user_id: int, category_id: int) -> bool:
    return bool(await conn.fetchval(_CATEGORY_OWNED, category_id, user_id))


async def update(
    conn: asyncpg.Connection,
    user_id: int,
    expense_id: int,
    changes: dict[str, Any],
    expected: IfMatch,
) -> Expense | None:
    """Apply ``changes``; ``None`` when no row matched (missing, or a stale version)."""
    assignments = [f"{column} = ${index}" for index, column in enumerate(changes, start=3)]
    args: list[Any] = [expense_id, user_id, *changes.values()]
    version_check = ""
    if not expected.any_version:
        args.append(list(expected.versions))
        version_check = f" AND version = ANY(${len(args)}::int[])"
    assignments += ["updated_at = now()", "version = version + 1"]
    sql = f"""
        WITH e AS (
            UPDATE expense SET {", ".join(assignments)}
            WHERE id = $1 AND user_id = $2{version_check}
            RETURNING *
        )
        SELECT {EXPENSE_COLUMNS} FROM e JOIN category c ON c.id = e.category_id
    """
    row = await conn.fetchrow(sql, *args)
    return to_expense(row) if row else None


async def move_category(
    conn: asyncpg.Connection, user_id: int, from_category: int, to_category: int
) -> int:
    """Move every expense of one category to another; the number moved."""
    status = await conn.execute(
        "UPDATE expense SET category_id = $3, updated_at = now(), version = version + 1 "
        "WHERE user_id = $1 AND category_id = $2",
        user_id,
        from_category,
        to_category,
    )
    return int(status.split()[-1])


async def delete(conn: asyncpg.Connection, user_id: int, expense_id: int) -> bool:
    status = await conn.execute(_DELETE, expense_id, user_id)
    return status == "DELETE 1"


async def page(
    conn: asyncpg.Connection,
    user_id: int,
    filters: ExpenseFilters,
    limit: int,
    after: tuple[date, int] | None,
) -> list[Expense]:
    """Up to ``limit`` expenses, newest first, strictly after the ``after`` position."""
    where, args = filters.where(user_id)
    if after is not None:
        args.extend(after)
        where += f" AND (e.spent_on, e.id) < (${len(args) - 1}, ${len(args)})"
    args.append(limit)
    sql = f"""
        SELECT {EXPENSE_COLUMNS} FROM expense e JOIN category c ON c.id = e.category_id
        WHERE {where}
        ORDER BY e.spent_on DESC, e.id DESC
        LIMIT ${len(args)}
    """
    return [to_expense(row) for row in await conn.fetch(sql, *args)]


async def summary(
    conn: asyncpg.Connection, user_id: int, filters: ExpenseFilters
) -> ExpenseSummary:
    where, args = filters.where(user_id)
    row = await conn.fetchrow(
        f"""
        SELECT count(*) AS count, coalesce(sum(e.amount), 0) AS total,
               round(avg(e.amount), 2) AS average, min(e.amount) AS min, max(e.amount) AS max
        FROM expense e WHERE {where}
        """,
        *args,
    )
    return ExpenseSummary(
        count=row["count"],
        total=Decimal(row["total"]).quantize(Decimal("0.01")),
        average=row["average"],
        min=row["min"],
        max=row["max"],
    )
