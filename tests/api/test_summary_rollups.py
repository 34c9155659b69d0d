"""Property: the summary read from the rollup equals the plain aggregate, exactly.

Random histories (tests/api/rollup_history.py: creates, imports, splits with
parts that may share a category, refunds, the trash and back, currencies waiting
for a rate, settled amounts, rates arriving, base-currency changes, dates moved
across months) are applied in SQL to a user of our own, inside a transaction rolled
back after each example. Then for random filters (no dates, a start, an end, both,
on or off month edges; a category or not; a currency or not) the summary the route
answers must equal the plain aggregate over every matching row (today's SQL,
``summary.plain``), field by field, the average's rounding included: with the
rollup's delta rows as written, and once they are folded (m0022, api.rollups).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.expenses import summary
from api.expenses.filters import ExpenseFilters
from api.rollups import fold
from tests.api.rollup_history import (
    CATEGORIES,
    CURRENCIES,
    DAYS,
    EPOCH,
    apply,
    insert,
    make_user,
    new_rows,
    operations,
    picks,
    split,
    split_plans,
    user_beside_noise,
)

# Days from a month before the history to a month after it: ranges start and end
# on first days, last days and mid-month, inside and outside the rows.
MONTH_EDGES = [
    d
    for m in range(-1, DAYS // 30 + 2)
    for first in [date(2024 + (10 + m) // 12, (10 + m) % 12 + 1, 1)]
    for d in (first, first - timedelta(days=1))
]
any_day = st.integers(-40, DAYS + 40).map(lambda n: EPOCH + timedelta(days=n))
# A few days off a month's edge: that month is read as the rollup's whole month
# less the rows of the days left out (a negative edge); mid-month: its own rows.
near_edge = st.builds(
    lambda edge, shift: edge + timedelta(days=shift),
    st.sampled_from(MONTH_EDGES),
    st.integers(-6, 6),
)
days = st.one_of(st.sampled_from(MONTH_EDGES), near_edge, near_edge, any_day)
filters = st.lists(
    st.tuples(
        st.none() | days | days,
        st.none() | days | days,
        st.none() | st.integers(0, CATEGORIES - 1),
        st.none() | st.sampled_from(CURRENCIES),
    ),
    min_size=1,
    max_size=6,
)


async def check(conn, user_id: int, chosen: ExpenseFilters) -> bool:
    """The route's answer equals the plain aggregate's; True when the rollup gave it."""
    expected = summary.to_summary(await summary.plain(conn, user_id, chosen))
    assert await summary.summary(conn, user_id, chosen) == expected, chosen
    if not summary.rollup_shape(chosen):
        return False
    assert summary.to_summary(await summary.from_rollups(conn, user_id, chosen)) == expected
    return True


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=new_rows, cut=picks, plan=split_plans, history=operations, noise=new_rows,
       chosen=filters)  # fmt: skip
def test_the_summary_from_rollups_equals_the_plain_aggregate(
    db, start, cut, plan, history, noise, chosen
):
    loop, conn = db

    async def example() -> None:
        async with user_beside_noise(conn, "summary", noise) as (user_id, category_ids, _, _):
            # Splits in every example: they are what the category sums must correct.
            for operation in [("create", start, None), ("split", cut, plan)]:
                await apply(conn, user_id, category_ids, operation)
            await fold(conn, wait=True)  # folded rows and delta rows after them, then all folded
            for operation in history:
                await apply(conn, user_id, category_ids, operation)
            for folded in (False, True):
                if folded:
                    await fold(conn, wait=True)
                for first, last, category, currency in chosen:
                    if first is not None and last is not None and first > last:
                        first, last = last, first
                    await check(
                        conn,
                        user_id,
                        ExpenseFilters(
                            date_from=first,
                            date_to=last,
                            category_id=None if category is None else category_ids[category],
                            currency=currency,
                        ),
                    )

    loop.run_until_complete(example())


def test_the_rollup_answers_dates_and_categories_only():
    """Which filters the rollup answers: dates with a whole month, a category, a currency."""
    may = summary.rollup_shape
    assert may(ExpenseFilters())
    assert may(ExpenseFilters(date_from=date(2025, 1, 2), date_to=date(2025, 2, 28)))
    assert may(ExpenseFilters(date_to=date(2025, 1, 30), category_id=3))
    assert may(ExpenseFilters(date_from=date(2025, 1, 2), currency="XTS"))
    assert not may(ExpenseFilters(date_from=date(2025, 1, 2), date_to=date(2025, 1, 31)))
    assert not may(ExpenseFilters(date_from=date(2025, 1, 15), date_to=date(2025, 2, 14)))
    assert not may(ExpenseFilters(text="coffee"))
    assert not may(ExpenseFilters(tags=("trip",)))
    assert not may(ExpenseFilters(unconverted=True))


def test_a_split_in_the_days_taken_out_of_a_month(db):
    """From the 5th, March is its rollup less March 1-4, where a split lies: its parts
    leave each category's total, as they never were in the range."""
    loop, conn = db

    async def example() -> None:
        transaction = conn.transaction()
        await transaction.start()
        try:
            user_id, category_ids = await make_user(conn, "summary-split")
            day = (date(2025, 3, 2) - EPOCH).days
            rows = [(day, 0, Decimal("100.00"), "EUR"), (day + 10, 1, Decimal("7.00"), "EUR")]
            await insert(conn, user_id, category_ids, rows, bulk=True)
            await split(conn, await ids(conn, user_id, date(2025, 3, 2)), category_ids,
                        [(3, 0), (7, 1)])  # fmt: skip
            for category in (None, *category_ids[:2]):
                chosen = ExpenseFilters(
                    date_from=date(2025, 3, 5), date_to=date(2025, 4, 30), category_id=category
                )
                assert summary.rollup_shape(chosen)
                assert await check(conn, user_id, chosen)
                got = await summary.summary(conn, user_id, chosen)
                only_split = category == category_ids[0]
                expected = (0, Decimal("0.00")) if only_split else (1, Decimal("7.00"))
                assert (got.count, got.total) == expected
        finally:
            await transaction.rollback()

    loop.run_until_complete(example())


async def ids(conn, user_id: int, spent_on: date) -> list[int]:
    rows = await conn.fetch(
        "SELECT id FROM expense WHERE user_id = $1 AND spent_on = $2", user_id, spent_on
    )
    return [row["id"] for row in rows]
