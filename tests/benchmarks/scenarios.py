"""What ``make bench`` measures: each endpoint under wrk beside the same SQL via asyncpg."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg

from api.cursor import encode_cursor
from api.database import keep_session
from api.expenses import queries, reads
from api.expenses.filters import ExpenseFilters
from api.preconditions import ANY as ANY_VERSION
from api.tags import queries as tag_queries
from tests.benchmarks import dataset
from tests.benchmarks.bank_import import bank_import_rows
from tests.benchmarks.ceiling import AUTHENTICATED, ROUNDS, alternated
from tests.benchmarks.contention import contention_rows
from tests.benchmarks.cpu import cpu_row, measured
from tests.benchmarks.dataset import BENCH_PASSWORD, Dataset
from tests.benchmarks.list_sorts import list_sort_rows
from tests.benchmarks.load import Throughput, floor, wrk
from tests.benchmarks.planning import planning_rows
from tests.benchmarks.rebase import rebase_rows
from tests.benchmarks.report import Row
from tests.benchmarks.summary_rows import summary_rows
from tests.benchmarks.transfers import export_rows, import_row, login
from tests.benchmarks.workers import worker_rows
from tests.support import TEST_JWT_SECRET, ApiServer
from wire.expenses import ExpenseCreate

# The plain aggregates answer the API's question (the trash left out), so they
# can use the same partial indexes; without the condition they fall to a scan and
# flatter the rollups.
PLAIN_MONTHLY_SQL = """
SELECT date_trunc('month', spent_on) AS month, sum(base_amount), count(*),
       count(*) FILTER (WHERE base_amount IS NULL)
FROM expense WHERE user_id = $1 AND spent_on BETWEEN $2 AND $3 AND deleted_at IS NULL
GROUP BY 1 ORDER BY 1
"""
PLAIN_CATEGORIES_SQL = """
SELECT c.id, c.name, c.color, sum(e.base_amount) AS total, count(*),
       count(*) FILTER (WHERE e.base_amount IS NULL)
FROM expense e JOIN category c ON c.id = e.category_id
WHERE e.user_id = $1 AND e.spent_on BETWEEN $2 AND $3 AND e.deleted_at IS NULL
GROUP BY c.id, c.name, c.color ORDER BY total DESC
"""


def _rps(result: Throughput) -> str:
    suffix = f" ({result.errors} errors)" if result.errors else ""
    return f"{result.requests_per_second:,.0f} req/s{suffix}"


def _ms(result: Throughput) -> str:
    return f"{result.p99_ms:.1f} ms"


def _versus(
    name: str,
    api: Throughput,
    baseline_name: str,
    baseline: Throughput,
    target_ratio: float | None = None,
    p99_limit: float | None = None,
) -> Row:
    ratio = api.requests_per_second / baseline.requests_per_second
    met = None
    target = "—"
    if target_ratio is not None:
        met = ratio >= target_ratio and api.errors == 0
        target = f">= {target_ratio:.2f}x"
        if p99_limit is not None:
            met = met and api.p99_ms < p99_limit
            target += f", p99 < {p99_limit:g} ms"
    broken = f"{api.errors} error answers" if api.errors else ""
    return Row(name, _rps(api), _ms(api), baseline_name, _rps(baseline), ratio, target, met, broken)


def _floor_bound(name: str, db_floor: Throughput, ceiling: Throughput) -> Row:
    """How far the target against the ceiling can be reached at all: the same SQL run by
    asyncpg with no HTTP, no framework and no auth is the most any handler can do."""
    return _versus(f"{name}: DB floor vs ceiling (bound)", db_floor, "ceiling", ceiling)


async def run_all(
    api: ApiServer, url: str, data: Dataset, seconds: float, smoke: bool
) -> list[Row]:
    token = login(api.url, data.heavy_email, BENCH_PASSWORD)
    uid = data.heavy_user_id
    today = datetime.now(UTC).date()
    year_ago = today.replace(year=today.year - 1) + timedelta(days=1)
    rng = random.Random(7)
    # Released as the API releases: without asyncpg's default RESET round trip.
    pool = await asyncpg.create_pool(url, min_size=10, max_size=10, reset=keep_session)
    rows: list[Row] = []
    try:
        ids = [
            r["id"]
            for r in await pool.fetch(
                "SELECT id FROM expense WHERE user_id = $1 ORDER BY random() LIMIT 1000", uid
            )
        ]
        deep = await pool.fetchrow(
            "SELECT spent_on, id FROM expense WHERE user_id = $1 "
            "ORDER BY spent_on DESC, id DESC OFFSET $2 LIMIT 1",
            uid,
            1_000 if smoke else 50_000,
        )
        position = [deep["spent_on"].isoformat(), deep["id"]]
        cursor = encode_cursor(uid, "spent_on:desc", position, TEST_JWT_SECRET)

        def load(path: str | list[str], **kwargs: object) -> Throughput:
            paths = path if isinstance(path, list) else [path]
            return wrk(api.url, paths, token, seconds, warmup=0 if smoke else 2, **kwargs)

        async def db(operation) -> Throughput:
            # The API's login check is answered from its live-login cache (no
            # query), so the floor runs the endpoint's SQL alone.
            return await floor(pool, operation, seconds)

        ceiling, ceiling_figures = alternated(load, 1 if smoke else ROUNDS)
        rows.extend(ceiling_figures)

        no_filter = ExpenseFilters()
        measures = [
            (
                "list, first page",
                "/api/v1/expenses?limit=50",
                lambda c: reads.page(c, uid, no_filter, 51, "spent_on", "desc", None),
                0.50,
            ),
            (
                "list, deep page",
                f"/api/v1/expenses?limit=50&cursor={cursor}",
                lambda c: reads.page(
                    c, uid, no_filter, 51, "spent_on", "desc", (deep["spent_on"], deep["id"])
                ),
                0.50,
            ),
            (
                "get one",
                [f"/api/v1/expenses/{i}" for i in ids[:200]],
                lambda c: queries.get(c, uid, rng.choice(ids)),
                None,
            ),
            (
                "summary (all rows)",
                "/api/v1/expenses/summary",
                lambda c: reads.summary(c, uid, no_filter),
                None,
            ),
        ]
        for name, path, operation, target in measures:
            result = load(path)
            rows.append(_versus(name, result, "ceiling", ceiling, target, 50.0 if target else None))
            db_floor = await db(operation)
            rows.append(_versus(f"{name}: vs DB floor", result, "same SQL via asyncpg", db_floor))
            if target is not None:
                rows.append(_floor_bound(name, db_floor, ceiling))

        # Where a list request's CPU goes beside the ceiling's (both warm by now).
        def unwarmed(path: str) -> Callable[[], Throughput]:
            return lambda: wrk(api.url, [path], token, seconds, warmup=0)

        list_cpu = measured(unwarmed("/api/v1/expenses?limit=50"), seconds, api.process.pid)
        ceiling_cpu = measured(unwarmed(AUTHENTICATED), seconds, api.process.pid)
        rows.append(cpu_row("list, first page", list_cpu, ceiling_cpu))
        rows.extend(
            await list_sort_rows(pool, uid, load, _versus, ceiling, 1_000 if smoke else 50_000)
        )
        for name, path, sql, args in [
            (
                "analytics, monthly (12 months)",
                "/api/v1/analytics/monthly",
                PLAIN_MONTHLY_SQL,
                (today.replace(day=1).replace(year=today.year - 1), today),
            ),
            (
                "analytics, categories (1 year)",
                f"/api/v1/analytics/categories?from={year_ago}&to={today}",
                PLAIN_CATEGORIES_SQL,
                (year_ago, today),
            ),
            (
                "analytics, tags (1 year)",
                f"/api/v1/analytics/tags?from={year_ago}&to={today}",
                tag_queries._TOTALS,  # every tagged row: what the route ran before m0026
                (year_ago, today),
            ),
        ]:
            result = load(path)
            plain = await db(lambda c, sql=sql, args=args: c.fetch(sql, uid, *args))
            rows.append(_versus(name, result, "plain aggregate via asyncpg", plain, 5.0))

        category = data.heavy_category_ids[0]
        years = (dataset.SMOKE if smoke else dataset.FULL).heavy_years
        rows.extend(await summary_rows(uid, category, today, years, load, db, _versus))
        body = (
            f'{{"amount":"12.34","category_id":{category},"spent_on":"{today}",'
            '"description":"bench"}'
        )
        created = load("/api/v1/expenses", method="POST", body=body)
        rows.append(_versus("create", created, "ceiling", ceiling, 0.40, 50.0))
        payload = ExpenseCreate(
            amount=Decimal("12.34"), category_id=category, spent_on=today, description="bench"
        )
        create_floor = await db(lambda c: queries.insert(c, uid, payload))
        rows.append(_versus("create: vs DB floor", created, "same SQL via asyncpg", create_floor))
        rows.append(_floor_bound("create", create_floor, ceiling))
        rows.extend(await contention_rows(url, uid, category, today, seconds))
        updated = load(
            [f"/api/v1/expenses/{i}" for i in ids[:200]], method="PATCH", body='{"amount":"5.00"}'
        )
        rows.append(_versus("update", updated, "ceiling", ceiling))
        rows.append(
            _versus(
                "update: vs DB floor",
                updated,
                "same SQL via asyncpg",
                await db(
                    lambda c: queries.update(
                        c, uid, rng.choice(ids), {"amount": Decimal("5.00")}, ANY_VERSION
                    )
                ),
            )
        )

        rows.extend(worker_rows(api, url, token, body, seconds))
        rows.extend(
            await planning_rows(
                pool,
                uid,
                data.heavy_category_ids,
                today,
                years,
                load,
                db,
                PLAIN_MONTHLY_SQL,
            )
        )
        rows.extend(await export_rows(api, pool, token, uid))
        rows.append(import_row(api, today, 1_000 if smoke else 10_000))
        rows.extend(bank_import_rows(api, 200 if smoke else 10_000))
        # Last: it rewrites every expense of the heavy user.
        rows.extend(await rebase_rows(api, pool, token, uid, today, 2 if smoke else 5))
    finally:
        await pool.close()
    return rows
