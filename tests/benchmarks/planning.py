"""Budgets and recurring expenses under load, beside the plain aggregates they replace.

The heavy user gets a budget per category and one for all spending, all with
rollover from the first month of the dataset's history (so the status reads every
month), and a dozen recurring expenses around today.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from decimal import Decimal

import asyncpg

from api.budgets import service as budgets
from api.budgets.queries import STATUS_SQL
from api.recurring import service as recurring
from tests.benchmarks.load import Throughput
from tests.benchmarks.report import Row
from wire.validation import CENT

PLANS = 12
# The budget status from the expense rows, as a careful hand would write it without
# the rollup: the counted lines (split parts by category) summed per category and
# month once, in one pass over the user's history, then per budget.
PLAIN_STATUS_SQL = """
WITH b AS (
    SELECT id, category_id, amount, rollover, starts FROM budget
    WHERE user_id = $1 AND starts <= $2
), months AS (
    SELECT category_id, date_trunc('month', spent_on)::date AS month,
           sum(base_amount) AS total, count(*) FILTER (WHERE base_amount IS NULL) AS unconverted
    FROM expense_line
    WHERE user_id = $1 AND spent_on < $3 AND spent_on >= (SELECT min(starts) FROM b)
    GROUP BY 1, 2
)
SELECT b.id,
       coalesce(sum(m.total) FILTER (WHERE m.month = $2), 0) AS spent,
       coalesce(sum(m.total) FILTER (WHERE m.month < $2), 0) AS spent_before,
       coalesce(sum(m.unconverted), 0) AS unconverted,
       CASE WHEN b.rollover THEN (extract(year FROM age($2, b.starts)) * 12
                                  + extract(month FROM age($2, b.starts)))::int
            ELSE 0 END AS months
FROM b
LEFT JOIN months m
       ON (b.category_id IS NULL OR m.category_id = b.category_id)
      AND m.month >= b.starts AND (b.rollover OR m.month = $2)
GROUP BY b.id, b.rollover, b.starts
"""


async def seed(
    pool: asyncpg.Pool, uid: int, categories: list[int], today: date, years: int
) -> None:
    starts = date(today.year - years, today.month, 1)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("DELETE FROM budget WHERE user_id = $1", uid)
        await conn.execute("DELETE FROM recurring WHERE user_id = $1", uid)
        await conn.execute(
            "INSERT INTO budget (user_id, category_id, amount, rollover, starts, version) "
            "SELECT $1::bigint, c, 500.00, true, $2::date, 1 FROM unnest($3::bigint[]) AS c "
            "UNION ALL SELECT $1, NULL, 4000.00, true, $2, 1",
            uid,
            starts,
            categories,
        )
        await conn.executemany(
            "INSERT INTO recurring (user_id, description, amount, currency, category_id, tags, "
            'every, "interval", anchor, next_due, amount_tolerance, day_tolerance, version) '
            "VALUES ($1, $2, $3, 'USD', $4, '{}', $5, 1, $6, $6, 0.10, 3, 1)",
            [
                (
                    uid,
                    f"Plan {n}",
                    Decimal(10 + n),
                    categories[n % len(categories)],
                    ("week", "month", "year")[n % 3],
                    today + timedelta(days=n * 3 - 10),
                )
                for n in range(PLANS)
            ],
        )


def _rps(result: Throughput) -> str:
    return f"{result.requests_per_second:,.0f} req/s" + (
        f" ({result.errors} errors)" if result.errors else ""
    )


def _versus(name: str, api: Throughput, baseline_name: str, baseline: Throughput) -> Row:
    ratio = api.requests_per_second / baseline.requests_per_second
    return Row(
        name,
        _rps(api),
        f"{api.p99_ms:.1f} ms",
        baseline_name,
        _rps(baseline),
        ratio,
        ">= 5.00x",
        ratio >= 5.0 and api.errors == 0,
        f"{api.errors} error answers" if api.errors else "",
    )


async def explain_ms(pool: asyncpg.Pool, uid: int, month: date) -> float:
    """The status statement's execution time as EXPLAIN ANALYZE reports it (best of 5)."""
    best = float("inf")
    async with pool.acquire() as conn:
        for _ in range(5):
            plan = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {STATUS_SQL}", uid, month)
            best = min(best, json.loads(plan)[0]["Execution Time"])
    return best


async def planning_rows(
    pool: asyncpg.Pool,
    uid: int,
    categories: list[int],
    today: date,
    years: int,
    load: Callable[[str], Throughput],
    db: Callable[[Callable[[asyncpg.Connection], Awaitable[object]]], Awaitable[Throughput]],
    plain_monthly_sql: str,
) -> list[Row]:
    """The rows; ``plain_monthly_sql`` is the analytics' plain aggregate (scenarios)."""
    await seed(pool, uid, categories, today, years)
    month = today.replace(day=1)
    after = (month + timedelta(days=32)).replace(day=1)
    year_ago = month.replace(year=month.year - 1)
    rows = []

    status = load("/api/v1/budgets/status")
    check = await budgets_answer(pool, uid, month, today)
    plain = await db(lambda c: c.fetch(PLAIN_STATUS_SQL, uid, month, after))
    rows.append(
        _versus(
            f"budget status ({years} years, {len(categories) + 1} budgets)",
            status,
            "plain aggregate of the expense rows via asyncpg",
            plain,
        )
    )
    if check:
        rows[-1].broken = check
    rows.append(
        _versus(
            "budget status: vs DB floor",
            status,
            "same SQL via asyncpg",
            await db(lambda c: c.fetch(STATUS_SQL, uid, month)),
        )
    )
    rows[-1].target, rows[-1].met = "—", None
    sql_ms = await explain_ms(pool, uid, month)
    rows.append(
        Row(
            "budget status SQL, EXPLAIN ANALYZE",
            f"{sql_ms:.2f} ms",
            "—",
            "—",
            "—",
            None,
            "< 5 ms",
            sql_ms < 5.0,
        )
    )

    upcoming = load("/api/v1/recurring/upcoming?days=30")
    monthly = await db(lambda c: c.fetch(plain_monthly_sql, uid, year_ago, today))
    rows.append(
        _versus(
            f"upcoming (30 days, {PLANS} plans)",
            upcoming,
            "plain monthly aggregate (12 months) via asyncpg",
            monthly,
        )
    )
    rows.append(
        _versus(
            "upcoming: vs DB floor",
            upcoming,
            "same SQL via asyncpg",
            await db(lambda c: recurring.upcoming(c, uid, today, 30)),
        )
    )
    rows[-1].target, rows[-1].met = "—", None
    return rows


async def budgets_answer(pool: asyncpg.Pool, uid: int, month: date, today: date) -> str:
    """Why the status is wrong ("" when it agrees with the plain aggregate)."""
    after = (month + timedelta(days=32)).replace(day=1)
    async with pool.acquire() as conn:
        fast = await budgets.status(conn, uid, month, today)
        slow = {row["id"]: row for row in await conn.fetch(PLAIN_STATUS_SQL, uid, month, after)}
    for line in fast.budgets:
        row = slow[line.budget_id]
        if line.spent != Decimal(row["spent"]).quantize(CENT):
            return f"budget {line.budget_id}: spent {line.spent}, expense rows say {row['spent']}"
        carried = line.limit * row["months"] - Decimal(row["spent_before"]).quantize(CENT)
        if line.carried != carried:
            return f"budget {line.budget_id}: carried {line.carried}, expense rows say {carried}"
    return ""
