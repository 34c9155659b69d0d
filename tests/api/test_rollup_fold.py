"""Rollup delta rows (m0022): concurrent writes to one bucket, and the fold.

Every write adds rows to ``expense_monthly_rollup``; the API folds each bucket back
to one row in the background. Neither may change a single total.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import asyncpg

from api.rollups import fold
from tests.api.helpers import add_expense, categories
from tests.api.test_write_races import rollups_match
from tests.support import run_sql

BUCKET_ROWS = """
SELECT count(*) AS rows, count(*) FILTER (WHERE NOT folded) AS unfolded,
       count(DISTINCT (category_id, month, currency)) AS buckets
FROM expense_monthly_rollup WHERE user_id = $1
"""


def test_concurrent_creates_in_one_bucket_all_count(client, account, database_url):
    food = categories(client, account)["Food"]["id"]

    def create(i: int) -> int:
        return client.post(
            "/api/v1/expenses",
            json={"amount": f"{1 + i % 7}.25", "category_id": food, "spent_on": "2026-03-14"},
            headers=account.headers,
        ).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(create, range(64))) == {201}
    assert rollups_match(database_url, account.profile["id"])


def test_the_api_folds_each_bucket_to_one_row(client, account, database_url):
    user_id = account.profile["id"]
    names = categories(client, account)
    for i in range(12):
        category = names["Food" if i % 2 else "Travel"]["id"]
        add_expense(client, account, category_id=category, spent_on=f"2026-0{1 + i % 3}-10")
    deadline = time.monotonic() + 20
    while (counts := run_sql(database_url, BUCKET_ROWS, user_id)[0])["unfolded"]:
        assert time.monotonic() < deadline, f"still unfolded after 20 s: {dict(counts)}"
        time.sleep(0.2)
    assert counts["rows"] == counts["buckets"] == 6
    assert rollups_match(database_url, user_id)


def test_folding_while_writing_keeps_every_total(client, account, database_url):
    """Folds race the writes: rows committed after a fold started must survive it."""
    user_id = account.profile["id"]
    food = categories(client, account)["Food"]["id"]

    async def race() -> None:
        conn = await asyncpg.connect(database_url)
        try:
            folding = True

            async def keep_folding() -> None:
                while folding:
                    await fold(conn)

            folder = asyncio.create_task(keep_folding())
            with ThreadPoolExecutor(4) as pool:
                futures = [
                    pool.submit(add_expense, client, account, category_id=food) for _ in range(40)
                ]
                await asyncio.gather(*map(asyncio.wrap_future, futures))
            folding = False
            await folder
        finally:
            await conn.close()

    asyncio.run(race())
    assert rollups_match(database_url, user_id)
    count = "SELECT count(*) FROM expense WHERE user_id = $1"
    assert run_sql(database_url, count, user_id)[0][0] == 40


def test_a_deleted_category_leaves_no_rollup_rows(client, account, database_url):
    names = categories(client, account)
    doomed = client.post(
        "/api/v1/categories", json={"name": "Doomed"}, headers=account.headers
    ).json()["id"]
    add_expense(client, account, category_id=doomed)
    response = client.delete(
        f"/api/v1/categories/{doomed}",
        params={"reassign_to": names["Food"]["id"]},
        headers=account.headers,
    )
    assert response.status_code == 204
    assert (
        run_sql(
            database_url,
            "SELECT count(*) FROM expense_monthly_rollup WHERE category_id = $1",
            doomed,
        )[0][0]
        == 0
    )
    assert rollups_match(database_url, account.profile["id"])
