"""The summary rows alone, against an existing benchmark database (minutes, not ``make bench``).

    PYTHONPATH=$PWD python -m tests.benchmarks.summary_figures DATABASE_URL [--seconds 8]

The database is one ``tests/benchmarks/dataset.py`` built (any size), migrated to
head; its heavy user is the one with the most expenses.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import jwt

from api.expenses import summary
from api.expenses.filters import ExpenseFilters
from tests.benchmarks.dataset import BENCH_PASSWORD
from tests.benchmarks.load import floor, wrk
from tests.benchmarks.report import render
from tests.benchmarks.scenarios import AUTH_SQL, _login, _versus
from tests.benchmarks.summary_rows import PLAIN, summary_rows
from tests.support import ApiServer


async def run(api: ApiServer, url: str, seconds: float) -> str:
    conn = await asyncpg.connect(url)
    heavy = await conn.fetchrow(
        "SELECT u.id, u.email, min(e.spent_on) AS first FROM app_user u"
        " JOIN expense e ON e.user_id = u.id GROUP BY u.id ORDER BY count(*) DESC LIMIT 1"
    )
    category = await conn.fetchval("SELECT min(id) FROM category WHERE user_id = $1", heavy["id"])
    await conn.close()
    uid = heavy["id"]
    token = _login(api.url, heavy["email"], BENCH_PASSWORD)
    login_id = uuid.UUID(jwt.decode(token, options={"verify_signature": False})["sid"])
    today = datetime.now(UTC).date()
    years = max(2, round((today - heavy["first"]).days / 365))
    pool = await asyncpg.create_pool(url, min_size=10, max_size=10)
    try:

        def load(path: str) -> object:
            return wrk(api.url, [path], token, seconds, warmup=2)

        async def db(operation) -> object:
            async def with_auth(c: asyncpg.Connection) -> None:
                await c.fetchval(AUTH_SQL, login_id, uid)
                await operation(c)

            return await floor(pool, with_auth, seconds)

        ceiling = load("/api/v1/ping")
        everything = load("/api/v1/expenses/summary")
        plain = await db(lambda c: summary.plain(c, uid, ExpenseFilters()))
        rows = [
            _versus("summary (all rows)", everything, "ceiling", ceiling),
            _versus("summary (all rows)", everything, PLAIN, plain, 10.0),
        ]
        rows += await summary_rows(uid, category, today, years, load, db, _versus)
    finally:
        await pool.close()
    return render(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="summary-figures-") as work:
        api = ApiServer(
            args.url,
            Path(work) / "api.log",
            extra_env={"APP_ENV": "production", "LOG_LEVEL": "WARNING"},
        ).start()
        try:
            print(asyncio.run(run(api, args.url, args.seconds)))
        finally:
            api.stop()


if __name__ == "__main__":
    main()
