"""The unfiltered expense list keeps one (generic) plan instead of planning each call.

Planning the list cost PostgreSQL more than running it (0.41 vs 0.2 ms) for a user
whose history is far above the average; ``reads.OPAQUE_OWNER`` explains the cure.
These tests build that skew in a database of their own, as PostgreSQL's
statistics see it after ANALYZE, and read ``pg_prepared_statements`` on the
connection that ran the page.
"""

from __future__ import annotations

import asyncio
import json
from datetime import date

import asyncpg
import pytest

from api.expenses import reads, sorting
from api.expenses.filters import ExpenseFilters
from tests.benchmarks import dataset
from tests.support import fresh_database, migrate

SKEWED = dataset.DatasetSize(users=40, heavy_expenses=20_000, heavy_years=2, other_expenses=20)
UNFILTERED = ExpenseFilters()
CALLS = 12  # PostgreSQL makes five custom plans before it weighs the generic one


@pytest.fixture(scope="module")
def skewed(postgres_url):
    with fresh_database(postgres_url, prefix="expense_plans") as url:
        migrate(url)

        async def build() -> dataset.Dataset:
            conn = await asyncpg.connect(url)
            try:
                return await dataset.build(conn, SKEWED, date(2026, 6, 30))
            finally:
                await conn.close()

        yield url, asyncio.run(build())


async def _plans(url: str, user_id: int, sort: str, after: bool):
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DEALLOCATE ALL")
        unfiltered = ExpenseFilters()
        position = None
        if after:  # the cursor the list would hand out after the first page
            first = await reads.page(conn, user_id, unfiltered, 51, sort, "desc", None)
            position = sorting.parse_position(sort, sorting.position(sort, first[-1]))
        for _ in range(CALLS):
            page = await reads.page(conn, user_id, unfiltered, 51, sort, "desc", position)
            assert len(page) == 51
        return await conn.fetchrow(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%FROM expense e JOIN category c%'"
            " ORDER BY generic_plans + custom_plans DESC LIMIT 1"
        )
    finally:
        await conn.close()


@pytest.mark.parametrize("sort", ["spent_on", "amount", "description", "created_at"])
@pytest.mark.parametrize("after", [False, True], ids=["first page", "next page"])
def test_an_unfiltered_page_is_planned_once_for_a_heavy_user(skewed, sort, after):
    url, data = skewed
    plans = asyncio.run(_plans(url, data.heavy_user_id, sort, after))
    assert plans["generic_plans"] >= CALLS - 6, dict(plans)


def _rows_read(node: dict, relation: str) -> int:
    own = node["Actual Rows"] * node["Actual Loops"] if node.get("Relation Name") == relation else 0
    return own + sum(_rows_read(child, relation) for child in node.get("Plans", []))


async def _category_page_reads(url: str, user_id: int, skip: int) -> tuple[int, int]:
    """Expense rows the deep page by category reads, with the plan the list keeps
    after CALLS calls; and how many categories the user has."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DEALLOCATE ALL")
        row = await conn.fetchrow(
            "SELECT e.id, c.name FROM expense e JOIN category c ON c.id = e.category_id"
            " WHERE e.user_id = $1 AND e.deleted_at IS NULL ORDER BY c.name DESC, e.id DESC"
            " OFFSET $2 LIMIT 1",
            user_id,
            skip,
        )
        position = (row["name"], row["id"])
        for _ in range(CALLS):
            page = await reads.page(conn, user_id, UNFILTERED, 51, "category", "desc", position)
            assert len(page) == 51
            assert (page[0].category, page[0].id) < position
        name = await conn.fetchval(
            "SELECT name FROM pg_prepared_statements WHERE statement LIKE '%CROSS JOIN LATERAL%'"
        )
        literal = await conn.fetchval("SELECT quote_literal($1)", row["name"])
        explained = await conn.fetchval(
            f"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE {name}({user_id}, {literal}, {row['id']}, 51)"
        )
        categories = await conn.fetchval(
            "SELECT count(*) FROM category WHERE user_id = $1", user_id
        )
        return _rows_read(json.loads(explained)[0]["Plan"], "expense"), categories
    finally:
        await conn.close()


def test_a_deep_page_by_category_reads_a_page_per_category(skewed):
    """Not every expense of the categories before the cursor (by_category_sql says why)."""
    url, data = skewed
    read, categories = asyncio.run(_category_page_reads(url, data.heavy_user_id, 5_000))
    assert read <= 51 * categories, read
