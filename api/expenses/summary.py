"""The summary (count, total, average, min, max) from the rollup, equal to the plain aggregate.

The plain aggregate (``plain``) reads every matching row: 100k rows for a heavy
user. When only dates, a category and a currency filter, ``from_rollups`` answers the same
numbers from ``expense_monthly_rollup`` (whole months) and a few expense rows:

- the partial months at the edges of the date range are summed from their rows
  (``expense_user_spent_on_id_idx`` covers them, the index alone);
- min and max are the first entry of ``expense_user_base_amount_idx`` in the date
  range (m0023), beside the split expenses, which that index leaves out;
- the rollup's rows are deltas (several per bucket): they are only ever summed;
- all history (no dates, no category) is the per-user rollup (m0029) plus the
  monthly deltas not folded yet: a constant cost, however long the history.

Restricted to a category, a split expense counts once and its money is the sum of
its parts there, while the rollup counts it at its first part (``expenses``,
``unconverted``) and sums its parts by category (``total``). Two parts may share a
category (``check_splits`` does not forbid it), so the rollup's ``count`` (lines)
is not an expense count either. The sums are therefore taken first as if every
expense were one line in its ``category_id`` (what ``expenses`` and
``unconverted`` hold, and what the edge rows give), and then the split
expenses of the range, read from their rows (``expense_user_split_spent_on_idx``;
they are rare), swap that naive contribution for their true one. The rollup's
``total`` is already true: only the edges' total is corrected.

The average is ``round(total / converted, 2)``, which is what ``round(avg(...), 2)``
computes (PostgreSQL's numeric avg is the sum divided by the count).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from decimal import Decimal

import asyncpg

from api.expenses.filters import ExpenseFilters
from api.periods import month_end, month_index, month_start
from wire.expenses import ExpenseSummary

_CURRENCY = "(SELECT currency FROM app_user WHERE id = $1) AS currency"

# Restricted to a category, a split expense counts with its parts in that category
# (API.md, Split expenses: the filter counts the parts), as the category analytics
# do, so a list opened from a chart's bar totals what the bar showed.
_IN_CATEGORY = """CASE WHEN e.split_amounts IS NULL THEN e.base_amount ELSE (
    SELECT sum(s.base_amount)
    FROM split_lines(e.split_category_ids, e.split_amounts, e.amount, e.base_amount) s
    WHERE s.category_id = {category}) END"""


async def plain(conn: asyncpg.Connection, user_id: int, filters: ExpenseFilters) -> asyncpg.Record:
    """Every matching row read and aggregated: any filter, the reference answer."""
    where, args = filters.where(user_id)
    money = "e.base_amount"
    if filters.category_id is not None:
        args = [*args, filters.category_id]
        money = _IN_CATEGORY.format(category=f"${len(args)}")
    return await conn.fetchrow(
        f"""
        SELECT count(*) AS count, coalesce(sum(money), 0) AS total,
               round(avg(money), 2) AS average, min(money) AS min, max(money) AS max,
               count(*) FILTER (WHERE money IS NULL) AS unconverted, {_CURRENCY}
        FROM (SELECT {money} AS money FROM expense e WHERE {where}) AS matched
        """,
        *args,
    )


def rollup_shape(filters: ExpenseFilters) -> bool:
    """Whether the rollup can answer: dates (with a whole month), category, currency."""
    other = (
        filters.text,
        filters.min_amount,
        filters.max_amount,
        filters.tags,
        filters.unconverted,
    )
    if any(value not in (None, (), False) for value in other):
        return False
    first, last = _whole_months(filters.date_from, filters.date_to)
    return first is None or last is None or first <= last


def _whole_months(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """First days of the first and last whole month in the range (None: unbounded)."""
    start = None
    if first is not None:
        start = month_start(month_index(first) + (0 if first.day == 1 else 1))
    end = None
    if last is not None:
        full = last == month_end(month_index(last))
        end = month_start(month_index(last) - (0 if full else 1))
    return start, end


def _edges(
    first: date | None, last: date | None
) -> tuple[date | None, date | None, list[tuple[date, date, int]]]:
    """Months read from the rollup (first days, None: unbounded), and the days of
    rows added to them (+1) or taken out of them (-1).

    A partial month is its own rows, or its whole month less the other days when
    those are fewer: at most half a month of rows is read at each edge.
    """
    low, high = _whole_months(first, last)
    edges = []
    if first is not None and low is not None and first < low:
        start = first.replace(day=1)
        if (first - start).days < (low - first).days:
            edges.append((start, first - timedelta(days=1), -1))
            low = start
        else:
            edges.append((first, low - timedelta(days=1), 1))
    if last is not None and high is not None and last > month_end(month_index(high)):
        end = month_end(month_index(last))
        if (end - last).days < (last - month_end(month_index(high))).days:
            edges.append((last + timedelta(days=1), end, -1))
            high = month_start(month_index(last))
        else:
            edges.append((month_end(month_index(high)) + timedelta(days=1), last, 1))
    return low, high, edges


class _Sql:
    """A statement being written: its text pieces share one list of arguments."""

    def __init__(self, user_id: int) -> None:
        self.args: list[object] = [user_id]

    def arg(self, value: object, cast: str = "") -> str:
        self.args.append(value)
        return f"${len(self.args)}{cast}"

    def days(self, column: str, first: date | None, last: date | None) -> str:
        bounds = [""]
        if first is not None:
            bounds.append(f"{column} >= {self.arg(first)}")
        if last is not None:
            bounds.append(f"{column} <= {self.arg(last)}")
        return " AND ".join(bounds)


async def from_rollups(
    conn: asyncpg.Connection, user_id: int, filters: ExpenseFilters
) -> asyncpg.Record:
    """The plain aggregate's answer from the rollup (only when ``rollup_shape``)."""
    sql = _Sql(user_id)
    live = "e.user_id = $1 AND e.deleted_at IS NULL"
    first, last = filters.date_from, filters.date_to
    low, high, partial = _edges(first, last)
    category = "" if filters.category_id is None else sql.arg(filters.category_id, "::bigint")
    in_category = f" AND e.category_id = {category}" if category else ""
    # The rollup's rows carry the expenses' own currency (m0022).
    in_currency = ""
    if filters.currency is not None:
        in_currency = f" AND e.currency = {sql.arg(filters.currency)}"
    matching = in_category + in_currency
    rows = f"expense_monthly_rollup e WHERE e.user_id = $1 {sql.days('e.month', low, high)}"
    if low is None and high is None and not category:
        # All history: the per-user rollup (m0029) holds the folded rows' sum, so
        # only the deltas not folded yet are read, whatever the years of history.
        rows = """(SELECT expenses, unconverted, total, currency
                    FROM expense_user_rollup WHERE user_id = $1
                    UNION ALL
                    SELECT expenses, unconverted, total, currency
                    FROM expense_monthly_rollup WHERE user_id = $1 AND NOT folded
                   ) AS e WHERE true"""
    rolled = f"""
        SELECT coalesce(sum(expenses), 0) AS n, coalesce(sum(unconverted), 0) AS u,
               coalesce(sum(total), 0) AS t
        FROM {rows}{matching}"""
    # Placeholders, not literals: one statement text per shape, prepared once.
    edges = [(sql.arg(a), sql.arg(b), sql.arg(sign, "::int")) for a, b, sign in partial]
    edge_sql = [
        f"""SELECT {sign} * count(*) AS n,
               {sign} * count(*) FILTER (WHERE e.base_amount IS NULL) AS u,
               {sign} * coalesce(sum(e.base_amount), 0) AS t
        FROM expense e WHERE {live} AND e.spent_on BETWEEN {a} AND {b}{matching}"""
        for a, b, sign in edges
    ]
    in_range = sql.days("e.spent_on", first, last)
    read = sql.days(
        "e.spent_on",
        None if first is None else min(first, low or first),
        None if last is None else max(last, month_end(month_index(high or last))),
    )
    edge_sign = "".join(f" WHEN e.spent_on BETWEEN {a} AND {b} THEN {n}" for a, b, n in edges)
    edge_sign = f"CASE{edge_sign} ELSE 0 END" if edges else "0"
    money, naive, in_parts, parts_there = "e.base_amount", "true", "", ""
    if category:
        money, naive = "part.money", f"e.category_id = {category}"
        in_parts = f" AND e.split_category_ids @> ARRAY[{category}]"
        parts_there = f"""
              CROSS JOIN LATERAL (
                  SELECT sum(s.base_amount) AS money
                  FROM split_lines(e.split_category_ids, e.split_amounts, e.amount,
                                   e.base_amount) s
                  WHERE s.category_id = {category}) AS part"""
    # The split expenses in range: their naive contribution (one line at category_id,
    # what the sums above hold) and their true one; without a category, the same.
    # The rollup's total is true already: only the edges' (signed) total is swapped,
    # so the rows read reach into the edges taken out, outside the range.
    splits = f"""
        SELECT count(*) FILTER (WHERE naive AND in_range) AS naive_n,
               count(*) FILTER (WHERE naive AND in_range AND base_amount IS NULL) AS naive_u,
               coalesce(sum(sign * base_amount) FILTER (WHERE naive), 0) AS naive_t,
               count(*) FILTER (WHERE in_range) AS n,
               count(*) FILTER (WHERE in_range AND money IS NULL) AS u,
               coalesce(sum(sign * money), 0) AS t,
               min(money) FILTER (WHERE in_range) AS min,
               max(money) FILTER (WHERE in_range) AS max
        FROM (SELECT {money} AS money, e.base_amount, {naive} AS naive,
                     true{in_range} AS in_range, {edge_sign} AS sign
              FROM expense e{parts_there}
              WHERE {live} AND e.split_amounts IS NOT NULL{read}{in_parts}{in_currency}) AS split"""
    # Walked in amount order to the first entry in range. "+ 0" keeps the planner off
    # the day and category indexes, which would read every row of the range: with
    # prepared statements it plans once for any range, and it cannot know its width.
    by_amount = f"""
        SELECT e.base_amount FROM expense e
        WHERE {live} AND e.split_amounts IS NULL AND e.base_amount IS NOT NULL
              {in_range.replace("e.spent_on", "e.spent_on + 0")}
              {matching.replace("e.category_id", "e.category_id + 0")}
        ORDER BY e.base_amount {{}} LIMIT 1"""
    parts = " UNION ALL ".join([rolled, *edge_sql])
    return await conn.fetchrow(
        f"""
        WITH naive AS (
            SELECT sum(n) AS n, sum(u) AS u, sum(t) AS t FROM ({parts}) AS part
        ), split AS ({splits}
        ), answer AS (
            SELECT (naive.n - split.naive_n + split.n)::bigint AS count,
                   (naive.u - split.naive_u + split.u)::bigint AS unconverted,
                   naive.t - split.naive_t + split.t AS total,
                   least(({by_amount.format("ASC")}), split.min) AS min,
                   greatest(({by_amount.format("DESC")}), split.max) AS max
            FROM naive, split
        )
        SELECT count, total, round(total / nullif(count - unconverted, 0), 2) AS average,
               min, max, unconverted, {_CURRENCY}
        FROM answer
        """,
        *sql.args,
    )


def _reader(filters: ExpenseFilters) -> Callable[..., Awaitable[asyncpg.Record]]:
    # Imported here: summary_tags builds on this module's edges.
    from api.expenses import summary_tags

    if rollup_shape(filters):
        return from_rollups
    if summary_tags.tag_shape(filters):
        return summary_tags.from_tag_rollup
    return plain


def scans(filters: ExpenseFilters) -> bool:
    """Whether the summary reads every matching row (no rollup answers these filters)."""
    return _reader(filters) is plain


async def summary(
    conn: asyncpg.Connection, user_id: int, filters: ExpenseFilters
) -> ExpenseSummary:
    """Every match counted; the money over the converted ones, in the base currency."""
    return to_summary(await _reader(filters)(conn, user_id, filters))


def to_summary(row: asyncpg.Record) -> ExpenseSummary:
    return ExpenseSummary(
        count=row["count"],
        total=Decimal(row["total"]).quantize(Decimal("0.01")),
        average=row["average"],
        min=row["min"],
        max=row["max"],
        unconverted=row["unconverted"],
        currency=row["currency"] or "",
    )
