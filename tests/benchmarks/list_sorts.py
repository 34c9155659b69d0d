"""The list in every order the second release added, first page and deep page.

The deep page starts after a fixed number of rows of that order, through a cursor
signed like the API's, so each order's keyset path is what is measured.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import asyncpg

from api.cursor import encode_cursor
from api.expenses import sorting
from tests.benchmarks.load import Throughput
from tests.benchmarks.report import Row
from tests.support import TEST_JWT_SECRET

ORDERS = ("amount", "description", "category", "created_at")
_KEYS = {
    "amount": "e.amount",
    "description": "e.description",
    "category": "c.name",
    "created_at": "e.created_at",
}

# {key} is one of _KEYS, never input.
_DEEP_POSITION = (
    "SELECT e.id, e.amount, e.description, c.name AS category, e.created_at "
    "FROM expense e JOIN category c ON c.id = e.category_id "
    "WHERE e.user_id = $1 AND e.deleted_at IS NULL ORDER BY {key} DESC, e.id DESC "
    "OFFSET $2 LIMIT 1"
)


async def _deep_cursor(pool: asyncpg.Pool, user_id: int, sort: str, skip: int) -> str:
    row = await pool.fetchrow(
        _DEEP_POSITION.format(key=_KEYS[sort]),
        user_id,
        skip,
    )
    position = sorting.position(sort, SimpleNamespace(**dict(row)))
    return encode_cursor(user_id, sorting.ordering(sort, "desc"), position, TEST_JWT_SECRET)


async def list_sort_rows(
    pool: asyncpg.Pool,
    user_id: int,
    load: Callable[[str], Throughput],
    versus: Callable[..., Row],
    ceiling: Throughput,
    skip: int,
) -> list[Row]:
    rows = []
    for sort in ORDERS:
        first = load(f"/api/v1/expenses?limit=50&sort={sort}")
        rows.append(versus(f"list, first page, by {sort}", first, "ceiling", ceiling, 0.5, 50.0))
        cursor = await _deep_cursor(pool, user_id, sort, skip)
        deep = load(f"/api/v1/expenses?limit=50&sort={sort}&cursor={cursor}")
        rows.append(versus(f"list, deep page, by {sort}", deep, "ceiling", ceiling, 0.5, 50.0))
    return rows
