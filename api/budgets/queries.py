"""SQL for budgets: the budget rows, and the month's status in one statement.

The status reads ``expense_monthly_rollup`` (delta rows summed per month and
category, kept by triggers on ``expense``; ``total`` is net of refunds and in the base
currency, and a split expense's parts count under their own categories), never the
expense rows: five years of history are a few hundred rollup rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from api.preconditions import IfMatch
from api.updates import versioned_update
from wire.budgets import Budget
from wire.validation import month_text

_COLUMNS = "id, category_id, amount, rollover, starts, version"

_LIST = f"SELECT {_COLUMNS} FROM budget WHERE user_id = $1 ORDER BY category_id NULLS FIRST, id"
_GET = f"SELECT {_COLUMNS} FROM budget WHERE id = $1 AND user_id = $2"
_INSERT = f"""
INSERT INTO budget (user_id, category_id, amount, rollover, starts, version)
SELECT $1, $2, $3, $4, $5, 1
WHERE $2::bigint IS NULL OR EXISTS (SELECT 1 FROM category WHERE id = $2 AND user_id = $1)
RETURNING {_COLUMNS}
"""
_DELETE = "DELETE FROM budget WHERE id = $1 AND user_id = $2"
_CATEGORY_OWNED = "SELECT true FROM category WHERE id = $1 AND user_id = $2"

# $1 user, $2 the month's first day. A budget reads the rollup rows of its category
# (all of them for a budget on all spending) from its first month: only the month
# itself without rollover, every month up to it with. `spent_before` is the sum of
# the months before, so carried = limit x months - spent_before (no month series).
# The user's unconverted expenses in the rows some budget reads are counted once.
STATUS_SQL = """
WITH owner AS (
    SELECT currency FROM app_user WHERE id = $1
), b AS (
    SELECT id, category_id, amount, rollover, starts FROM budget
    WHERE user_id = $1 AND starts <= $2
), r AS (
    -- A bucket is the sum of its rows (m0022); summed here, so each bucket is one
    -- row below, as the unconverted count needs.
    SELECT category_id, month, sum(total) AS total, sum(unconverted) AS unconverted
    FROM expense_monthly_rollup
    WHERE user_id = $1 AND month <= $2
      AND month >= (SELECT min(CASE WHEN rollover THEN starts ELSE $2 END) FROM b)
    GROUP BY category_id, month
), counted_rows AS (
    -- Category budgets join their rows by category (a hash join); the budget on all
    -- spending reads every row. Split so that neither needs an OR in its join.
    SELECT b.id, r.month, r.total, r.unconverted, r.category_id
    FROM b JOIN r ON r.category_id = b.category_id
    WHERE r.month >= b.starts AND (b.rollover OR r.month = $2)
    UNION ALL
    SELECT b.id, r.month, r.total, r.unconverted, r.category_id
    FROM b JOIN r ON r.month >= b.starts AND (b.rollover OR r.month = $2)
    WHERE b.category_id IS NULL
), sums AS (
    SELECT id, coalesce(sum(total) FILTER (WHERE month = $2), 0) AS spent,
           coalesce(sum(total) FILTER (WHERE month < $2), 0) AS spent_before
    FROM counted_rows GROUP BY id
), unconverted AS (
    -- Each rollup row once, however many budgets read it.
    SELECT coalesce(sum(unconverted), 0)::bigint AS n FROM (
        SELECT DISTINCT category_id, month, unconverted FROM counted_rows WHERE unconverted > 0
    ) AS counted
)
SELECT owner.currency, unconverted.n AS unconverted, b.id, b.category_id, c.name,
       b.amount, b.rollover, b.starts,
       coalesce(sums.spent, 0) AS spent, coalesce(sums.spent_before, 0) AS spent_before
FROM owner
CROSS JOIN unconverted
LEFT JOIN (b LEFT JOIN sums ON sums.id = b.id LEFT JOIN category c ON c.id = b.category_id)
       ON true
ORDER BY b.category_id NULLS FIRST, lower(c.name), b.id
"""


class UnknownCategory(LookupError):
    """The budget names a category that is not the user's."""


@dataclass(frozen=True, slots=True)
class StatusRow:
    budget_id: int
    category_id: int | None
    name: str | None  # None: all spending
    limit: Decimal
    rollover: bool
    starts: date
    spent: Decimal
    spent_before: Decimal


@dataclass(frozen=True, slots=True)
class StatusRows:
    currency: str
    unconverted: int
    rows: list[StatusRow]


def _budget(row: asyncpg.Record) -> Budget:
    return Budget(
        id=row["id"],
        category_id=row["category_id"],
        amount=row["amount"],
        rollover=row["rollover"],
        starts=month_text(row["starts"]),
        version=row["version"],
    )


async def list_budgets(conn: asyncpg.Connection, user_id: int) -> list[Budget]:
    """All spending first, then by category id."""
    return [_budget(row) for row in await conn.fetch(_LIST, user_id)]


async def get(conn: asyncpg.Connection, user_id: int, budget_id: int) -> Budget | None:
    row = await conn.fetchrow(_GET, budget_id, user_id)
    return _budget(row) if row else None


async def category_owned(conn: asyncpg.Connection, user_id: int, category_id: int) -> bool:
    return bool(await conn.fetchval(_CATEGORY_OWNED, category_id, user_id))


async def insert(
    conn: asyncpg.Connection,
    user_id: int,
    category_id: int | None,
    amount: Decimal,
    rollover: bool,
    starts: date,
) -> Budget:
    """The new budget; :class:`UnknownCategory`, or asyncpg's ``UniqueViolationError``
    when the category (or all spending) already has one."""
    try:
        row = await conn.fetchrow(_INSERT, user_id, category_id, amount, rollover, starts)
    except asyncpg.ForeignKeyViolationError:  # deleted while this insert waited
        raise UnknownCategory from None
    if row is None:
        raise UnknownCategory
    return _budget(row)


async def update(
    conn: asyncpg.Connection,
    user_id: int,
    budget_id: int,
    changes: dict[str, Any],
    expected: IfMatch,
) -> Budget | None:
    """Apply ``changes`` (column → value); ``None`` when missing or at another version."""
    sql, args = versioned_update("budget", changes, expected)
    row = await conn.fetchrow(f"{sql} RETURNING {_COLUMNS}", budget_id, user_id, *args)
    return _budget(row) if row else None


async def delete(conn: asyncpg.Connection, user_id: int, budget_id: int) -> bool:
    return await conn.execute(_DELETE, budget_id, user_id) == "DELETE 1"


async def status_rows(conn: asyncpg.Connection, user_id: int, month: date) -> StatusRows:
    """Every budget in force in ``month`` (a first day) with its sums, in one statement."""
    rows = await conn.fetch(STATUS_SQL, user_id, month)
    if not rows:  # the account vanished between authentication and this query
        return StatusRows("USD", 0, [])
    return StatusRows(
        currency=rows[0]["currency"],
        unconverted=rows[0]["unconverted"],
        rows=[
            StatusRow(
                row["id"],
                row["category_id"],
                row["name"],
                row["amount"],
                row["rollover"],
                row["starts"],
                row["spent"],
                row["spent_before"],
            )
            for row in rows
            if row["id"] is not None  # the LEFT JOIN's row when no budget is in force
        ],
    )
