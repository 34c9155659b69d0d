"""Analytics SQL: one statement per endpoint, mostly over ``expense_monthly_rollup``.

The rollup (kept exact by statement-level triggers on ``expense``, see migrations
m0002 and m0022) holds a few delta rows per user, month, category and currency,
always summed, so a year of totals reads a few dozen rows instead of every expense.
Only the partial months at the edges of a date range are summed from ``expense``,
through its (user_id, spent_on) index.

These are raw asyncpg calls on the pool behind Piccolo: the statements are
prepared once per connection (asyncpg's statement cache) and skip the ORM on the
dashboard's hot path. Money stays NUMERIC → Decimal throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from api.database import pool
from api.periods import RangeSplit, month_index

# A bucket's rows may sum to zero until they are folded; they add nothing to the sums.
# Months travel as indexes (year * 12 + month - 1), not dates: asyncpg sends
# date.min as -infinity, and a series from -infinity would never end.
MONTHLY_SQL = """
WITH owner AS (
    SELECT u.currency,
           ($4::bigint IS NULL OR EXISTS (
               SELECT 1 FROM category c WHERE c.id = $4 AND c.user_id = u.id
           )) AS category_found
    FROM app_user u
    WHERE u.id = $1
), months AS (
    SELECT make_date(i / 12, i % 12 + 1, 1) AS month
    FROM generate_series($2::int, $3::int) AS i
)
SELECT owner.currency,
       owner.category_found,
       to_char(m.month, 'YYYY-MM') AS month,
       coalesce(sum(r.total), 0)::numeric(22, 2) AS total,
       -- Expenses, each once; restricted to a category, its lines (parts) there.
       coalesce(sum(CASE WHEN $4::bigint IS NULL THEN r.expenses ELSE r.count END), 0)::bigint
           AS count,
       coalesce(sum(r.unconverted), 0)::bigint AS unconverted
FROM owner
CROSS JOIN months AS m
LEFT JOIN expense_monthly_rollup r
       ON r.user_id = $1
      AND r.month = m.month
      AND ($4::bigint IS NULL OR r.category_id = $4)
GROUP BY owner.currency, owner.category_found, m.month
ORDER BY m.month
"""

# Whole months from the rollup, the partial edge months from expense rows; an
# absent part has NULL bounds and so matches nothing.
CATEGORIES_SQL = """
WITH parts AS (
    SELECT category_id, total, count, unconverted
    FROM expense_monthly_rollup
    WHERE user_id = $1 AND month BETWEEN $2 AND $3
    UNION ALL
    SELECT category_id, coalesce(sum(base_amount), 0), count(*),
           count(*) FILTER (WHERE first AND base_amount IS NULL)
    FROM expense_line
    WHERE user_id = $1 AND spent_on BETWEEN $4 AND $5
    GROUP BY category_id
    UNION ALL
    SELECT category_id, coalesce(sum(base_amount), 0), count(*),
           count(*) FILTER (WHERE first AND base_amount IS NULL)
    FROM expense_line
    WHERE user_id = $1 AND spent_on BETWEEN $6 AND $7
    GROUP BY category_id
), per_category AS (
    SELECT category_id, sum(total) AS total, sum(count)::bigint AS count,
           sum(unconverted)::bigint AS unconverted
    FROM parts
    GROUP BY category_id
    HAVING sum(count) > 0
)
SELECT u.currency, c.id, c.name, c.color, p.total, p.count, p.unconverted
FROM app_user u
LEFT JOIN (per_category p JOIN category c ON c.id = p.category_id) ON true
WHERE u.id = $1
ORDER BY p.total DESC, lower(c.name), c.id
"""


@dataclass(frozen=True, slots=True)
class MonthRow:
    month: str
    total: Decimal
    count: int
    unconverted: int = 0


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category_id: int
    name: str
    color: str
    total: Decimal
    count: int


@dataclass(frozen=True, slots=True)
class Monthly:
    currency: str
    category_found: bool
    months: list[MonthRow]


@dataclass(frozen=True, slots=True)
class PerCategory:
    currency: str
    categories: list[CategoryRow]
    unconverted: int = 0


async def monthly(user_id: int, first: date, last: date, category_id: int | None) -> Monthly:
    """Totals for every month from ``first`` to ``last`` (first days), zeros included."""
    span = (month_index(first), month_index(last))
    async with pool().acquire() as conn:
        rows = await conn.fetch(MONTHLY_SQL, user_id, *span, category_id)
    if not rows:  # the account vanished between authentication and this query
        return Monthly(currency="USD", category_found=False, months=[])
    return Monthly(
        currency=rows[0]["currency"],
        category_found=rows[0]["category_found"],
        months=[
            MonthRow(row["month"], row["total"], row["count"], row["unconverted"]) for row in rows
        ],
    )


async def per_category(user_id: int, split: RangeSplit) -> PerCategory:
    """Totals per category over the days ``split`` describes, largest first."""
    async with pool().acquire() as conn:
        rows = await conn.fetch(CATEGORIES_SQL, user_id, *split.months, *split.head, *split.tail)
    if not rows:
        return PerCategory(currency="USD", categories=[])
    return PerCategory(
        currency=rows[0]["currency"],
        categories=[
            CategoryRow(row["id"], row["name"], row["color"], row["total"], row["count"])
            for row in rows
            if row["id"] is not None  # the LEFT JOIN's row when nothing was spent
        ],
        unconverted=sum(row["unconverted"] or 0 for row in rows),
    )
