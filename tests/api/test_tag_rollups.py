"""Property: the per-tag rollup (m0026) and what reads it equal the plain aggregates.

Random histories interleave every expense write of tests/api/rollup_history.py
(creates, imports, amounts, dates, currencies, the trash and back, hard deletes,
splits, settled amounts, rates arriving, base-currency changes) with tag writes
through the API's own SQL (tests/api/tag_history.py: tags added, set, removed,
renamed, merged, deleted), for a user of our own and a noisy neighbour with the
same tag names, inside a transaction rolled back after each example. Then, on the
delta rows as written and after ``api.rollups.fold``:

- every bucket (user, tag, month, currency) summed equals the aggregate of the
  live tagged expenses;
- the tag totals the route reads (``api.tags.rollup.totals``) equal ``_TOTALS``;
- the summary with one tag (dates, currency) equals ``summary.plain``.
"""

from __future__ import annotations

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.expenses import summary, summary_tags
from api.expenses.filters import ExpenseFilters
from api.rollups import fold
from api.tags import queries, rollup
from tests.api.rollup_history import CURRENCIES, insert, make_user, new_rows, user_beside_noise
from tests.api.tag_history import NAMES, apply_any, histories
from tests.api.test_summary_rollups import days

BUCKETS = """
SELECT user_id, tag_id, month, currency, sum(total) AS total, sum(count) AS count,
       sum(unconverted) AS unconverted
FROM expense_tag_rollup WHERE user_id = ANY($1)
GROUP BY 1, 2, 3, 4
HAVING sum(total) <> 0 OR sum(count) <> 0 OR sum(unconverted) <> 0
ORDER BY 1, 2, 3, 4
"""
PLAIN_BUCKETS = """
SELECT e.user_id, l.tag_id, date_trunc('month', e.spent_on)::date AS month, e.currency,
       coalesce(sum(e.base_amount), 0) AS total, count(*) AS count,
       count(*) FILTER (WHERE e.base_amount IS NULL) AS unconverted
FROM expense e JOIN expense_tag l ON l.expense_id = e.id
WHERE e.user_id = ANY($1) AND e.deleted_at IS NULL
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4
"""
ranges = st.lists(
    st.tuples(st.none() | days, st.none() | days, st.sampled_from((*NAMES, "none")),
              st.none() | st.sampled_from(CURRENCIES)),
    min_size=1,
    max_size=5,
)  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def short_walk():
    """A walk of 3 expenses: both ways to min and max (the walk meets the tag, or
    the tag's own rows are read) happen with the few rows of an example."""
    walk, summary_tags.WALK = summary_tags.WALK, 3
    yield
    summary_tags.WALK = walk


async def check(conn: asyncpg.Connection, users: list[int], chosen: list[tuple]) -> int:
    """Every comparison; how many summaries the tag rollup answered."""
    buckets = [dict(row) for row in await conn.fetch(BUCKETS, users)]
    assert buckets == [dict(row) for row in await conn.fetch(PLAIN_BUCKETS, users)]
    rolled = 0
    for first, last, tag, currency in chosen:
        if first is not None and last is not None and first > last:
            first, last = last, first
        for user_id in users:
            got = await rollup.totals(conn, user_id, first, last)
            assert got == await queries.totals(conn, user_id, first, last), (first, last)
            filters = ExpenseFilters(date_from=first, date_to=last, tags=(tag,), currency=currency)
            expected = summary.to_summary(await summary.plain(conn, user_id, filters))
            assert await summary.summary(conn, user_id, filters) == expected, filters
            if summary_tags.tag_shape(filters):
                answer = await summary_tags.from_tag_rollup(conn, user_id, filters)
                assert summary.to_summary(answer) == expected, filters
                rolled += 1
    return rolled


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=new_rows, history=histories, noise=new_rows, noise_history=histories,
       chosen=ranges)  # fmt: skip
def test_the_tag_rollup_equals_the_plain_aggregates(
    db, start, history, noise, noise_history, chosen
):
    loop, conn = db

    async def example() -> None:
        async with user_beside_noise(conn, "tags", noise) as ids:
            user_id, category_ids, other_id, other_categories = ids
            await insert(conn, user_id, category_ids, start, bulk=True)
            # Every example starts with tags on a good share of the expenses.
            for name, picks in (("Trip", [0, 2, 4]), ("work", [1, 2]), ("Food", [3])):
                await apply_any(conn, user_id, category_ids, ("tag", picks, name))
                await apply_any(conn, other_id, other_categories, ("tag", picks, name))
            await fold(conn, wait=True)  # folded rows, then delta rows after them
            for operation in history:
                await apply_any(conn, user_id, category_ids, operation)
            for operation in noise_history:
                await apply_any(conn, other_id, other_categories, operation)
            await check(conn, [user_id, other_id], chosen)
            await fold(conn, wait=True)
            assert not await conn.fetchval(
                "SELECT count(*) FROM expense_tag_rollup WHERE NOT folded AND user_id = ANY($1)",
                [user_id, other_id],
            )
            await check(conn, [user_id, other_id], chosen)

    loop.run_until_complete(example())


def test_an_account_deleted_with_its_tagged_expenses_leaves_no_rows(db):
    """The cascade removes links and expenses after the account: no delta for it
    (it would break the user_id key), and none of its rows are left."""
    loop, conn = db

    async def example() -> None:
        transaction = conn.transaction()
        await transaction.start()
        try:
            user_id, category_ids = await make_user(conn, "tags-gone")
            rows = [(day, 0, amount, "EUR") for day, amount in ((3, 5), (40, -2), (41, 7))]
            await insert(conn, user_id, category_ids, rows, bulk=True)
            await apply_any(conn, user_id, category_ids, ("tag", [0, 1, 2], "Trip"))
            await apply_any(conn, user_id, category_ids, ("tag", [1], "work"))
            assert await conn.fetchval(
                "SELECT count(*) FROM expense_tag_rollup WHERE user_id = $1", user_id
            )
            await conn.execute("DELETE FROM app_user WHERE id = $1", user_id)
            assert not await conn.fetchval(
                "SELECT count(*) FROM expense_tag_rollup WHERE user_id = $1", user_id
            )
        finally:
            await transaction.rollback()

    loop.run_until_complete(example())


def test_the_tag_rollup_answers_one_tag_with_dates_and_a_currency():
    shape = summary_tags.tag_shape
    assert shape(ExpenseFilters(tags=("trip",)))
    assert shape(ExpenseFilters(tags=("trip",), currency="XTS"))
    assert not shape(ExpenseFilters(tags=("trip", "work")))
    assert not shape(ExpenseFilters(tags=("trip",), category_id=3))
    assert not shape(ExpenseFilters(tags=("trip",), text="taxi"))
    assert not shape(ExpenseFilters(tags=("trip",), unconverted=True))
    assert not shape(ExpenseFilters())
