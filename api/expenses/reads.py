"""The list reads of expenses: keyset pages (the list and the trash) and the summary.

Raw asyncpg for the same reason as ``queries`` (the list is the busiest read); the
columns and the row-to-struct step are shared with it.
"""

from __future__ import annotations

import asyncpg

from api.expenses import sorting
from api.expenses import summary as summaries
from api.expenses.filters import ExpenseFilters
from api.expenses.queries import EXPENSE_COLUMNS, TRASHED_COLUMNS, decode_splits, to_expense
from wire.expenses import Expense, ExpenseSummary, TrashedExpense

# A page with no filter reads one index from the cursor on, the same way for every
# user, so one plan serves every call. Yet PostgreSQL planned the list afresh on each
# call (0.41 ms, more than the 0.2 ms it then ran): seeing the owner, the limit and the
# cursor, it costed the heavy user's LIMIT 51 of 100k rows below the generic plan's
# guess for an average user, and judged a custom plan worth its planning every time.
# Through an InitPlan, ``(SELECT $n)``, the planner cannot see those values: a custom
# plan costs what the generic one does, so the generic plan is kept from the sixth
# call on (pg_stat_statements: 0 plans in 10,809 calls, list +30 % under wrk). It
# still walks the (user_id, key, id) index from the cursor (EXPLAIN, every sort).
# Filtered pages keep plain parameters: their best plan depends on the values.
OPAQUE_OWNER = "(SELECT $1::bigint)"


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
    # A date range narrows the rows by the date index, and sorting what is left by
    # category name beats reading every category's newest expenses to find them.
    by_date = filters.date_from is not None or filters.date_to is not None
    if sort == "category" and not by_date:
        # Each category's expenses through (category_id, id); the owner is checked
        # outside (see by_category_sql).
        where, args = filters.where(user_id, owner=False)
        first_arg = len(args) + 1
        args = [*args, *(after or ()), limit]
        sql = sorting.by_category_sql(EXPENSE_COLUMNS, where, order, first_arg, after is not None)
        rows = await conn.fetch(sql, *args)
    elif filters.narrow():
        where, args = filters.where(user_id)
        rows = await _keyset_page(conn, EXPENSE_COLUMNS, where, args, sort, order, limit, after)
    else:
        where = f"e.user_id = {OPAQUE_OWNER} AND e.deleted_at IS NULL"
        rows = await _keyset_page(
            conn, EXPENSE_COLUMNS, where, [user_id], sort, order, limit, after, opaque=True
        )
    return [to_expense(row) for row in rows]


async def trash_page(
    conn: asyncpg.Connection, user_id: int, limit: int, after: tuple[object, int] | None
) -> list[TrashedExpense]:
    """Up to ``limit`` expenses of the trash, most recently deleted first."""
    where = f"e.user_id = {OPAQUE_OWNER} AND e.deleted_at IS NOT NULL"
    rows = await _keyset_page(
        conn, TRASHED_COLUMNS, where, [user_id], "deleted_at", "desc", limit, after,
        opaque=True,
    )  # fmt: skip
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
    *,
    opaque: bool = False,
) -> list[asyncpg.Record]:
    condition, order_by = sorting.keyset(sort, order, len(args) + 1, opaque=opaque)
    if after is not None:
        args = [*args, *after]
        where += f" AND {condition}"
    args = [*args, limit]
    limit_sql = f"(SELECT ${len(args)}::int)" if opaque else f"${len(args)}"
    sql = f"""
        SELECT {columns} FROM expense e JOIN category c ON c.id = e.category_id
        WHERE {where}
        ORDER BY {order_by}
        LIMIT {limit_sql}
    """
    return await conn.fetch(sql, *args)


async def summary(
    conn: asyncpg.Connection, user_id: int, filters: ExpenseFilters
) -> ExpenseSummary:
    """Every match counted; the money over the converted ones, in the base currency."""
    return await summaries.summary(conn, user_id, filters)


def summary_scans(filters: ExpenseFilters) -> bool:
    """Whether the summary for ``filters`` reads every matching row (no rollup fits)."""
    return summaries.scans(filters)
