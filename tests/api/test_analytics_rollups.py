"""Property: analytics read from the rollup equal the plain aggregate over ``expense``.

Random histories (tests/api/rollup_history.py: every kind of write, splits,
currencies, rates arriving, base-currency changes) are applied in SQL to a user of
our own, inside a transaction rolled back after each example. Then the analytics
statements (the very SQL and range splitting the routes use) are compared with an
aggregate computed here, in Python, from the expense rows: split parts get their
base amounts from exact fractions (half-even, remainder on the largest part), not
from the database's functions, so the two sides share nothing but the rows.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.analytics.queries import CATEGORIES_SQL, MONTHLY_SQL
from api.analytics.routes import shares
from api.periods import month_index, split_range
from api.rollups import fold
from tests.api.rollup_history import (
    DAYS,
    EPOCH,
    apply,
    days,
    new_rows,
    operations,
    user_beside_noise,
)

# Whole months only, a whole month with partial edges, and the whole window.
WHOLE_MONTHS = [
    (date(2024, 12, 1), date(2025, 2, 28)),
    (date(2024, 11, 15), date(2025, 3, 10)),
    (EPOCH, EPOCH + timedelta(DAYS)),
]
ranges = st.lists(st.tuples(days, days), min_size=1, max_size=4)
CENT = Decimal("0.01")


def half_even_cents(value: Fraction) -> Decimal:
    return Decimal(round(value * 100)).scaleb(-2)  # round() of a Fraction is half-even


def part_bases(amounts: list[Decimal], whole: Decimal, base: Decimal | None) -> list:
    if base is None:
        return [None] * len(amounts)
    shares_ = [half_even_cents(Fraction(base) * Fraction(a) / Fraction(whole)) for a in amounts]
    largest = max(range(len(amounts)), key=lambda i: (abs(amounts[i]), -i))
    shares_[largest] += base - sum(shares_)
    return shares_


def lines(row) -> list[tuple[int, Decimal | None, bool]]:
    """(category, base amount, first) of each counted line of an expense row."""
    if row["split_amounts"] is None:
        return [(row["category_id"], row["base_amount"], True)]
    bases = part_bases(row["split_amounts"], row["amount"], row["base_amount"])
    return [
        (category, base, index == 0)
        for index, (category, base) in enumerate(zip(row["split_category_ids"], bases, strict=True))
    ]


async def expected(conn, user_id, first: date, last: date):
    """Per (month, category): [total, lines, expenses, unconverted], in Python."""
    rows = await conn.fetch(
        "SELECT * FROM expense WHERE user_id = $1 AND spent_on BETWEEN $2 AND $3"
        " AND deleted_at IS NULL",
        user_id,
        first,
        last,
    )
    buckets: dict[tuple[str, int], list] = defaultdict(lambda: [Decimal(0), 0, 0, 0])
    for row in rows:
        if row["rate"] is not None and not row["settled"]:
            # The trigger's conversion, checked against exact fractions on the way.
            exact = half_even_cents(Fraction(row["amount"]) * Fraction(row["rate"]))
            assert row["base_amount"] == exact
        for category, base, first_line in lines(row):
            bucket = buckets[(row["spent_on"].strftime("%Y-%m"), category)]
            bucket[0] += base or 0
            bucket[1] += 1
            bucket[2] += first_line
            bucket[3] += first_line and base is None
    return buckets


async def check(conn, user_id, category_ids, first: date, last: date) -> None:
    whole_months = (first.replace(day=1), date.fromordinal(
        (date(last.year + last.month // 12, last.month % 12 + 1, 1)).toordinal() - 1
    ))  # fmt: skip
    monthly = await expected(conn, user_id, *whole_months)
    for category_id in (None, category_ids[0]):
        span = (month_index(first), month_index(last))
        rolled = await conn.fetch(MONTHLY_SQL, user_id, *span, category_id)
        for row in rolled:
            picked = [
                value for (month, category), value in monthly.items()
                if month == row["month"] and category_id in (None, category)
            ]  # fmt: skip
            total = sum((value[0] for value in picked), Decimal(0))
            count = sum(value[2 if category_id is None else 1] for value in picked)
            unconverted = sum(value[3] for value in picked)
            assert (row["total"], row["count"], row["unconverted"]) == (total, count, unconverted)
    split = split_range(first, last)
    rows = await conn.fetch(CATEGORIES_SQL, user_id, *split.months, *split.head, *split.tail)
    got = {r["id"]: (r["total"], r["count"], r["unconverted"]) for r in rows if r["id"]}
    plain: dict[int, list] = defaultdict(lambda: [Decimal(0), 0, 0])
    for (_, category), value in (await expected(conn, user_id, first, last)).items():
        plain[category][0] += value[0]
        plain[category][1] += value[1]
        plain[category][2] += value[3]
    assert got == {category: tuple(value) for category, value in plain.items()}
    totals = [r["total"] for r in rows if r["id"] is not None]
    assert totals == sorted(totals, reverse=True)
    fractions = shares(totals)
    assert sum(fractions) == (1.0 if any(total > 0 for total in totals) else 0.0)
    assert all(share == 0.0 for total, share in zip(totals, fractions, strict=True) if total <= 0)


async def rollup_equals_lines(conn, user_id) -> None:
    """The stored rollup rows themselves, bucket by bucket, against a fresh count.

    A bucket is the sum of its delta rows (m0022), folded or not.
    """
    stored = await conn.fetch(
        "SELECT to_char(month, 'YYYY-MM') AS month, category_id, sum(total) AS total,"
        " sum(count) AS count, sum(expenses) AS expenses, sum(unconverted) AS unconverted"
        " FROM expense_monthly_rollup WHERE user_id = $1 GROUP BY month, category_id"
        " HAVING sum(count) <> 0 OR sum(total) <> 0 OR sum(expenses) <> 0"
        " OR sum(unconverted) <> 0",
        user_id,
    )
    fresh = await expected(conn, user_id, date(1900, 1, 1), date(2999, 12, 31))
    assert {
        (r["month"], r["category_id"]): [r["total"], r["count"], r["expenses"], r["unconverted"]]
        for r in stored
    } == {key: value for key, value in fresh.items() if value[1]}


async def fold_leaves_one_row_per_bucket(conn, user_id) -> None:
    await fold(conn, wait=True)
    assert await conn.fetchval(
        "SELECT count(*) FILTER (WHERE NOT folded) = 0 AND count(*) = count(DISTINCT"
        " (category_id, month, currency)) FROM expense_monthly_rollup WHERE user_id = $1",
        user_id,
    )
    await rollup_equals_lines(conn, user_id)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=operations, noise=new_rows, windows=ranges)
def test_rollup_analytics_equal_the_plain_aggregate(db, history, noise, windows):
    loop, conn = db

    async def example() -> None:
        async with user_beside_noise(conn, "rollup", noise) as (user_id, category_ids, _, _):
            for operation in history:
                await apply(conn, user_id, category_ids, operation)
            await rollup_equals_lines(conn, user_id)
            # Read over the delta rows as the writes left them ...
            for a, b in windows:
                first, last = sorted((EPOCH + timedelta(a), EPOCH + timedelta(b)))
                await check(conn, user_id, category_ids, first, last)
            # ... and once they are folded.
            await fold_leaves_one_row_per_bucket(conn, user_id)
            for first, last in WHOLE_MONTHS:
                await check(conn, user_id, category_ids, first, last)

    loop.run_until_complete(example())
