"""The per-user rollup (m0029) stays the sum of the folded monthly rows through what
deletes folded rows besides the fold: a category's deletion and an account's.

The summary property test (test_summary_rollups.py) covers it through every write
of a history, folded and not; these are the deletions it does not make.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from api.expenses import summary
from api.expenses.filters import ExpenseFilters
from api.expenses.queries import move_category
from api.rollups import fold
from tests.api.rollup_history import EPOCH, insert, make_user

ALL_HISTORY = ExpenseFilters()
ONE_CURRENCY = ExpenseFilters(currency="EUR")

_USER_ROWS = """
    SELECT currency, total, count, expenses, unconverted FROM expense_user_rollup
    WHERE user_id = $1 AND (total, count, expenses, unconverted) <> (0, 0, 0, 0)
    ORDER BY currency
"""
_FOLDED_SUMS = """
    SELECT currency, sum(total), sum(count), sum(expenses), sum(unconverted)
    FROM expense_monthly_rollup WHERE user_id = $1 AND folded
    GROUP BY currency
    HAVING (sum(total), sum(count), sum(expenses), sum(unconverted)) <> (0, 0, 0, 0)
    ORDER BY currency
"""


async def _consistent(conn, user_id: int) -> None:
    users = [tuple(row) for row in await conn.fetch(_USER_ROWS, user_id)]
    assert users == [tuple(row) for row in await conn.fetch(_FOLDED_SUMS, user_id)]
    for chosen in (ALL_HISTORY, ONE_CURRENCY):
        expected = summary.to_summary(await summary.plain(conn, user_id, chosen))
        assert await summary.summary(conn, user_id, chosen) == expected


def test_a_deleted_categorys_folded_rows_leave_the_user_rollup(db):
    loop, conn = db

    async def example() -> None:
        transaction = conn.transaction()
        await transaction.start()
        try:
            user_id, category_ids = await make_user(conn, "user-rollup")
            doomed, kept = category_ids[:2]
            rows = [(d, c, Decimal(f"{10 + d}.25"), cur) for d in range(0, 90, 7)
                    for c, cur in ((0, "EUR"), (1, "USD"))]  # fmt: skip
            await insert(conn, user_id, category_ids, rows, bulk=True)
            await fold(conn, wait=True)
            await _consistent(conn, user_id)
            # Deltas after the folded rows, then the category goes as DELETE
            # ?reassign_to does it: its expenses move, its rollup rows are removed.
            late = [(95, 0, Decimal("3.00"), "EUR")]
            await insert(conn, user_id, category_ids, late, bulk=False)
            await _consistent(conn, user_id)
            await move_category(conn, user_id, doomed, kept)
            await conn.execute("DELETE FROM category WHERE id = $1", doomed)
            await _consistent(conn, user_id)
            await fold(conn, wait=True)
            await _consistent(conn, user_id)
            got = await summary.summary(conn, user_id, ALL_HISTORY)
            assert got.count == len(rows) + 1
        finally:
            await transaction.rollback()

    loop.run_until_complete(example())


def test_a_deleted_account_takes_its_user_rollup_along(db):
    loop, conn = db

    async def example() -> None:
        transaction = conn.transaction()
        await transaction.start()
        try:
            user_id, category_ids = await make_user(conn, "user-rollup-gone")
            day = (date(2025, 3, 2) - EPOCH).days
            rows = [(day, 0, Decimal("5.00"), "EUR")]
            await insert(conn, user_id, category_ids, rows, bulk=True)
            await fold(conn, wait=True)
            assert await conn.fetchval(
                "SELECT count(*) FROM expense_user_rollup WHERE user_id = $1", user_id
            )
            await conn.execute("DELETE FROM app_user WHERE id = $1", user_id)
            assert not await conn.fetchval(
                "SELECT count(*) FROM expense_user_rollup WHERE user_id = $1", user_id
            )
        finally:
            await transaction.rollback()

    loop.run_until_complete(example())
