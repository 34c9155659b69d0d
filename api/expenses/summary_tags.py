"""The summary filtered by ONE tag (with dates, a currency) from ``expense_tag_rollup``.

The plain aggregate with a tag filter tests every expense of the user for the tag.
Here (m0026) whole months come from the per-tag rollup, the partial months at the
range's edges from the expense rows there (the day index, then the link's unique
index), exactly as ``summary.from_rollups`` does by category: the same edges,
added or taken out. A split expense counts whole under its tags (its base amount),
so no correction for parts is needed.

Min and max: the expenses in amount order (``expense_user_base_amount_idx``, m0023)
are walked to the first one carrying the tag, at most ``WALK`` of them; a tag on a
good share of the expenses is met within a few. When none of the first ``WALK``
carries it (a rare tag, or one only on the largest amounts), the tag's own rows
are read through its links instead. Split expenses, which that index leaves out,
are read from theirs (``expense_user_split_spent_on_idx``). Both ways are exact.

Several tags (an expense carrying all of them), a category, text or amounts: the
plain aggregate answers.
"""

from __future__ import annotations

import asyncpg

from api.expenses.filters import ExpenseFilters
from api.expenses.summary import _CURRENCY, _edges, _Sql, _whole_months

# Expenses walked in amount order before reading the tag's rows instead.
WALK = 200


def tag_shape(filters: ExpenseFilters) -> bool:
    """Whether the tag rollup can answer: one tag, dates (with a whole month), currency."""
    other = (filters.text, filters.min_amount, filters.max_amount, filters.category_id)
    if len(filters.tags) != 1 or filters.unconverted or any(v is not None for v in other):
        return False
    first, last = _whole_months(filters.date_from, filters.date_to)
    return first is None or last is None or first <= last


async def from_tag_rollup(
    conn: asyncpg.Connection, user_id: int, filters: ExpenseFilters
) -> asyncpg.Record:
    """The plain aggregate's answer from the tag rollup (only when ``tag_shape``)."""
    sql = _Sql(user_id)
    tag = sql.arg(filters.tags[0])
    live = "e.user_id = $1 AND e.deleted_at IS NULL"
    # The tag's id is a scalar, not a join: the walk keeps its index order. OFFSET 0
    # keeps the planner from hashing every link of the tag first (1.5 ms for 10,000
    # links, measured) to test a dozen rows: each row probes the link's unique index.
    tagged = (
        "EXISTS (SELECT 1 FROM expense_tag l"
        " WHERE l.expense_id = e.id AND l.tag_id = (SELECT id FROM wanted) OFFSET 0)"
    )
    first, last = filters.date_from, filters.date_to
    low, high, partial = _edges(first, last)
    in_currency = ""
    if filters.currency is not None:
        in_currency = f" AND e.currency = {sql.arg(filters.currency)}"
    rolled = f"""
        SELECT coalesce(sum(e.count), 0) AS n, coalesce(sum(e.unconverted), 0) AS u,
               coalesce(sum(e.total), 0) AS t
        FROM expense_tag_rollup e
        WHERE e.user_id = $1 AND e.tag_id = (SELECT id FROM wanted)
              {sql.days("e.month", low, high)}{in_currency}"""
    # Placeholders, not literals: one statement text per shape, prepared once.
    edges = [(sql.arg(a), sql.arg(b), sql.arg(sign, "::int")) for a, b, sign in partial]
    edge_sql = [
        f"""SELECT {sign} * count(*) AS n,
               {sign} * count(*) FILTER (WHERE e.base_amount IS NULL) AS u,
               {sign} * coalesce(sum(e.base_amount), 0) AS t
        FROM expense e
        WHERE {live} AND e.spent_on BETWEEN {a} AND {b}{in_currency} AND {tagged}"""
        for a, b, sign in edges
    ]
    in_range = sql.days("e.spent_on", first, last)
    # "+ 0": the planner keeps to the amount index (see summary.from_rollups).
    walk = f"""
        SELECT e.base_amount FROM (
            SELECT e.base_amount, {tagged} AS tagged
            FROM expense e
            WHERE {live} AND e.split_amounts IS NULL AND e.base_amount IS NOT NULL
                  {in_range.replace("e.spent_on", "e.spent_on + 0")}
                  {in_currency}
            ORDER BY e.base_amount {{order}} LIMIT {WALK}) AS e
        WHERE e.tagged ORDER BY e.base_amount {{order}} LIMIT 1"""
    # Every row of the tag in range, split or not: the walk's fallback.
    own_rows = f"""
        SELECT {{fn}}(e.base_amount) FROM expense_tag l JOIN expense e ON e.id = l.expense_id
        WHERE l.tag_id = (SELECT id FROM wanted) AND {live}{in_range}{in_currency}"""
    splits = f"""
        SELECT min(e.base_amount) AS min, max(e.base_amount) AS max
        FROM expense e
        WHERE {live} AND e.split_amounts IS NOT NULL{in_range}{in_currency} AND {tagged}"""
    ends = {
        fn: f"""coalesce(({walk.format(order=order)}), ({own_rows.format(fn=fn)}))"""
        for fn, order in (("min", "ASC"), ("max", "DESC"))
    }
    parts = " UNION ALL ".join([rolled, *edge_sql])
    return await conn.fetchrow(
        f"""
        WITH wanted AS (
            SELECT id FROM tag WHERE user_id = $1 AND lower(name) = lower({tag})
        ), sums AS (
            SELECT sum(n)::bigint AS count, sum(u)::bigint AS unconverted, sum(t) AS total
            FROM ({parts}) AS part
        ), split AS ({splits}
        )
        SELECT s.count, s.total, round(s.total / nullif(s.count - s.unconverted, 0), 2)
                   AS average,
               least({ends["min"]}, split.min) AS min,
               greatest({ends["max"]}, split.max) AS max,
               s.unconverted, {_CURRENCY}
        FROM sums s, split
        """,
        *sql.args,
    )
