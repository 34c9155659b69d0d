"""The API's pooled connections plan a prepared statement once (api/database.py)."""

from __future__ import annotations

import asyncio

from api import database
from api.expenses import reads
from api.expenses.filters import ExpenseFilters
from api.settings import Settings
from tests.support import TEST_JWT_SECRET

NOBODY = 2**62  # no such account: an empty page, through the same statement


def test_a_list_page_is_planned_once_per_pooled_connection(database_url):
    settings = Settings(app_env="test", database_url=database_url, jwt_secret=TEST_JWT_SECRET)
    database.configure_engine(database_url, settings)

    async def plans_after_runs(runs: int) -> tuple[str, int, int]:
        async with database.connection_pool(settings), database.pool().acquire() as conn:
            for _ in range(runs):
                page = await reads.page(
                    conn, NOBODY, ExpenseFilters(), 51, "spent_on", "desc", None
                )
                assert page == []
            mode = await conn.fetchval("SHOW plan_cache_mode")
            generic, custom = await conn.fetchrow(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE '%ORDER BY e.spent_on DESC, e.id DESC%'"
            )
            return mode, generic, custom

    # Left to choose, PostgreSQL plans at least the first five runs for their
    # arguments (custom plans).
    mode, generic, custom = asyncio.run(plans_after_runs(8))
    assert mode == "force_generic_plan"
    assert custom == 0
    assert generic >= 1
