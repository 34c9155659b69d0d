"""The list reads of expenses: keyset pages (the list and the trash) and the summary.

Raw asyncpg for the same reason as ``queries`` (the list is the busiest read); the
columns and the row-to-struct step are shared with it.
"""

from __future__ import annotations

from decimal import Decimal

import asyncpg

from api.expenses import sorting
from api.expenses.filters import ExpenseFilters
from api.expenses.queries import EXPENSE_COLUMNS, TRASHED_COLUMNS, decode_splits, to_expense
from wire.expenses import Expense, ExpenseSummary, TrashedExpense


async def page(
    conn: asyncpg.Connection,
    user_id: int,
    filters: ExpenseFilters,
    limit: int,
    sort: str,
    order: str,
    after: tuple[object, int] | None,
) -> list[Expense]:
    """Up to ``limit`` expenses in the given order, strictly after the ``after`` position."""
    where, args = filters.where(user_id)
    # A date range narrows the rows by the date index, and sorting what is left by
    # category name beats reading every category's newest expenses to find them.
    by_date = filters.date_from is not None or filters.date_to is not None
    rows = await _keyset_page(
        conn, EXPENSE_COLUMNS, where, args, sort, order, limit, after, filters_by_date=by_date
    )
    return [to_expense(row) for row in rows]


async def trash_page(
    conn: asyncpg.Connection, user_id: int, limit: int, after: tuple[object, int] | None
) -> list[TrashedExpense]:
    """Up to ``limit`` expenses of the trash, most recently deleted first."""
    where = "e.user_id = $1 AND e.deleted_at IS NOT NULL"
    rows = await _keyset_page(
        conn, TRASHED_COLUMNS, where, [user_id], "deleted_at", "desc", limit, after
    )
    trashed = [TrashedExpense(**dict(row)) for row in rows]  # deleted_at is keyword-only
    for expense in trashed:
        decode_splits(expense)
    return trashed


async def _keyset_page(
    conn: asyncpg.Connection,
    columns: str,
    where: str,
    args: list[object],
    sort: str,
    order: str,
    limit: int,
    after: tuple[object, int] | None,
    filters_by_date: bool = False,
) -> list[asyncpg.Record]:
    if sort == "category" and not filters_by_date:
        first_arg = len(args) + 1
        args = [*args, *(after or ()), limit]
        sql = sorting.by_category_sql(columns, where, order, first_arg, after is not None)
        return await conn.fetch(sql, *args)
    condition, order_by = sorting.keyset(sort, order, len(args) + 1)
    if after is not None:
        args = [*args, *after]
        where += f" AND {condition}"
    args = [*args, limit]
    sql = f"""
        SELECT {columns} FROM expense e JOIN category c ON c.id = e.category_id
        WHERE {where}
        ORDER BY {order_by}
        LIMIT ${len(args)}
    """
    return await conn.fetch(sql, *args)


# Restricted to a category, a split expense counts with its parts in that category
# (API.md, Split expenses: the filter counts the parts), as the category analytics
# do, so a list opened from a chart's bar totals what the bar showed.
_IN_CATEGORY = """CASE WHEN e.split_amounts IS NULL THEN e.base_amount ELSE (
    SELECT sum(s.base_amount)
    FROM split_lines(e.split_category_ids, e.split_amounts, e.amount, e.base_amount) s
    WHERE s.category_id = ${n}) END"""


async def summary(
    conn: asyncpg.Connection, user_id: int, filters: ExpenseFilters
) -> ExpenseSummary:
    """Every match counted; the money over the converted ones, in the base currency."""
    where, args = filters.where(user_id)
    money = "e.base_amount"
    if filters.category_id is not None:
        args = [*args, filters.category_id]
        money = _IN_CATEGORY.format(n=len(args))
    row = await conn.fetchrow(
        f"""
        SELECT count(*) AS count, coalesce(sum(money), 0) AS total,
               round(avg(money), 2) AS average, min(money) AS min, max(money) AS max,
               count(*) FILTER (WHERE money IS NULL) AS unconverted,
               (SELECT currency FROM app_user WHERE id = $1) AS currency
        FROM (SELECT {money} AS money FROM expense e WHERE {where}) AS matched
        """,
        *args,
    )
    return ExpenseSummary(
        count=row["count"],
        total=Decimal(row["total"]).quantize(Decimal("0.01")),
        average=row["average"],
        min=row["min"],
        max=row["max"],
        unconverted=row["unconverted"],
        currency=row["currency"] or "",
    )
