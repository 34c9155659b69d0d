"""A base-currency change over the heavy user's history, through the API.

API.md: changing the base currency converts every expense again at its own day's
rate, in one transaction. Issue 12 asks for its time on 100,000 expenses. The
heavy user gets five years of daily euro rates for USD and GBP (a gentle random
walk) and a tenth of its expenses in EUR and in GBP, one in a hundred settled;
then the profile goes USD -> EUR and back, each timed, and the rollup is checked
against the plain aggregate after each, so a fast wrong answer is not a result.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

import asyncpg
import httpx

from tests.benchmarks.report import Row
from tests.support import ApiServer

# The rollup against the expense rows, after the change: nothing may differ.
ROLLUP_DRIFT_SQL = """
SELECT count(*) FROM (
    SELECT category_id, date_trunc('month', spent_on)::date AS month,
           coalesce(sum(base_amount), 0) AS total, count(*) AS count
    FROM expense_line WHERE user_id = $1 GROUP BY 1, 2
) plain FULL JOIN (
    SELECT category_id, month, sum(total) AS total, sum(count) AS count
    FROM expense_monthly_rollup WHERE user_id = $1
    GROUP BY category_id, month HAVING sum(count) <> 0
) rolled USING (category_id, month)
WHERE plain.total IS DISTINCT FROM rolled.total OR plain.count IS DISTINCT FROM rolled.count
"""


async def _seed(conn: asyncpg.Connection, user_id: int, today: date, years: int) -> int:
    rng = random.Random(12)
    rates, usd, gbp = [], Decimal("1.10"), Decimal("0.85")
    for offset in range(365 * years + 10):
        day = today - timedelta(days=offset)
        if day.weekday() < 5:  # the ECB publishes on working days
            usd += Decimal(rng.randrange(-50, 51)) / 10_000
            gbp += Decimal(rng.randrange(-30, 31)) / 10_000
            rates += [("USD", day, usd), ("GBP", day, gbp)]
    await conn.execute("DELETE FROM euro_rate WHERE currency IN ('USD', 'GBP')")
    await conn.copy_records_to_table(
        "euro_rate", records=rates, columns=["currency", "day", "eur_rate"]
    )
    await conn.execute(
        "UPDATE expense SET currency = CASE WHEN id % 20 = 0 THEN 'EUR' ELSE 'GBP' END,"
        " base_amount = CASE WHEN id % 100 = 0 THEN amount * 1.1 END,"
        " settled = id % 100 = 0, rate = NULL"
        " WHERE user_id = $1 AND id % 10 = 0",
        user_id,
        timeout=600,
    )
    return await conn.fetchval("SELECT count(*) FROM expense WHERE user_id = $1", user_id)


async def rebase_rows(
    api: ApiServer, pool: asyncpg.Pool, token: str, user_id: int, today: date, years: int
) -> list[Row]:
    async with pool.acquire() as conn:
        count = await _seed(conn, user_id, today, years)
    rows = []
    async with httpx.AsyncClient(
        base_url=api.url, timeout=600, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        for old, new in (("USD", "EUR"), ("EUR", "USD")):
            started = time.perf_counter()
            response = await client.patch("/api/v1/me", json={"currency": new})
            seconds = time.perf_counter() - started
            async with pool.acquire() as conn:
                drift = await conn.fetchval(ROLLUP_DRIFT_SQL, user_id, timeout=600)
                waiting = await conn.fetchval(
                    "SELECT count(*) FROM expense WHERE user_id = $1 AND base_amount IS NULL",
                    user_id,
                )
            broken = ""
            if response.status_code != 200 or response.json().get("currency") != new:
                broken = f"answered {response.status_code}: {response.text[:200]}"
            elif drift:
                broken = f"{drift} rollup bucket(s) differ from the expense rows"
            rows.append(
                Row(
                    f"base-currency change {old}->{new}, {count:,} expenses",
                    f"{seconds:.2f} s",
                    "—",
                    "—",
                    "—",
                    None,
                    f"one transaction ({waiting} left without a rate)",
                    None,
                    broken,
                )
            )
    return rows
