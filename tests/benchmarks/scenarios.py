"""What ``make bench`` measures: each endpoint under wrk beside the same SQL via asyncpg."""

from __future__ import annotations

import random
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import asyncpg
import httpx

from api.cursor import encode_cursor
from api.expenses import queries, reads
from api.expenses.export import export_query
from api.expenses.filters import ExpenseFilters
from api.preconditions import ANY as ANY_VERSION
from tests.benchmarks import dataset
from tests.benchmarks.bank_import import bank_import_rows
from tests.benchmarks.ceiling import AUTHENTICATED, UNAUTHENTICATED, ceiling_rows
from tests.benchmarks.contention import contention_rows
from tests.benchmarks.dataset import BENCH_PASSWORD, Dataset
from tests.benchmarks.list_sorts import list_sort_rows
from tests.benchmarks.load import Throughput, floor, wrk
from tests.benchmarks.planning import planning_rows
from tests.benchmarks.rebase import rebase_rows
from tests.benchmarks.report import Row
from tests.benchmarks.workers import worker_rows
from tests.support import PASSWORD, TEST_JWT_SECRET, ApiServer, unique_email
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


def _login(base_url: str, email: str, password: str) -> str:
    response = httpx.post(
        f"{base_url}/api/v1/auth/login", json={"email": email, "password": password}, timeout=30
    )
    response.raise_for_status()
    return response.json()["access_token"]


async def run_all(
    api: ApiServer, url: str, data: Dataset, seconds: float, smoke: bool
) -> list[Row]:
    token = _login(api.url, data.heavy_email, BENCH_PASSWORD)
    uid = data.heavy_user_id
    today = datetime.now(UTC).date()
    year_ago = today.replace(year=today.year - 1) + timedelta(days=1)
    rng = random.Random(7)
    pool = await asyncpg.create_pool(url, min_size=10, max_size=10)
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

        noop = load(UNAUTHENTICATED)
        ceiling = load(AUTHENTICATED)
        rows.extend(ceiling_rows(noop, ceiling))

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
            rows.append(
                _versus(f"{name}: vs DB floor", result, "same SQL via asyncpg", await db(operation))
            )

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
        ]:
            result = load(path)
            plain = await db(lambda c, sql=sql, args=args: c.fetch(sql, uid, *args))
            rows.append(_versus(name, result, "plain aggregate via asyncpg", plain, 5.0))

        category = data.heavy_category_ids[0]
        body = (
            f'{{"amount":"12.34","category_id":{category},"spent_on":"{today}",'
            '"description":"bench"}'
        )
        created = load("/api/v1/expenses", method="POST", body=body)
        rows.append(_versus("create", created, "ceiling", ceiling, 0.40, 50.0))
        payload = ExpenseCreate(
            amount=Decimal("12.34"), category_id=category, spent_on=today, description="bench"
        )
        rows.append(
            _versus(
                "create: vs DB floor",
                created,
                "same SQL via asyncpg",
                await db(lambda c: queries.insert(c, uid, payload)),
            )
        )
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
        years = (dataset.SMOKE if smoke else dataset.FULL).heavy_years
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


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def export_rows(api: ApiServer, pool: asyncpg.Pool, token: str, uid: int) -> list[Row]:
    sql, args = export_query(ExpenseFilters(), uid)
    copied = 0

    async def count(chunk: bytes) -> None:
        nonlocal copied
        copied += len(chunk)

    started = time.perf_counter()
    async with pool.acquire() as conn:
        await conn.copy_from_query(sql, *args, output=count, format="csv", header=True)
    raw_seconds = time.perf_counter() - started

    pid = api.process.pid
    before = _rss_kib(pid)
    peak = before
    sampling = True

    def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, _rss_kib(pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    lines = 0
    with httpx.stream(
        "GET",
        f"{api.url}/api/v1/expenses/export.csv",
        # Uncompressed, like the raw COPY it is compared with.
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        timeout=120,
    ) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            lines += chunk.count(b"\n")
    api_seconds = time.perf_counter() - started
    sampling = False
    sampler.join()
    rows_exported = lines - 1
    expected_rows = await pool.fetchval("SELECT count(*) FROM expense WHERE user_id = $1", uid)
    incomplete = (
        "" if rows_exported == expected_rows else f"{rows_exported} of {expected_rows} rows"
    )
    growth_mb = (peak - before) / 1024
    ratio = raw_seconds / api_seconds
    return [
        Row(
            "CSV export, heavy user",
            f"{api_seconds:.2f} s, {rows_exported / api_seconds:,.0f} rows/s",
            "—",
            "raw COPY TO STDOUT",
            f"{raw_seconds:.2f} s",
            ratio,
            ">= 0.50x",
            ratio >= 0.5,
            incomplete,
        ),
        Row(
            "CSV export: server RSS growth",
            f"{growth_mb:.1f} MB",
            "—",
            "—",
            "—",
            None,
            "< 10 MB",
            growth_mb < 10,
        ),
    ]


def import_row(api: ApiServer, today: date, count: int) -> Row:
    email = unique_email("bench-import")
    with httpx.Client(base_url=api.url, timeout=120) as client:
        client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        token = _login(api.url, email, PASSWORD)
        lines = ["date,category,description,amount,notes"] + [
            f"{today - timedelta(days=i % 700)},{('Food', 'Bills', 'Travel')[i % 3]},"
            f"Imported row {i},{1 + i % 500}.{i % 100:02d},note {i}"
            for i in range(count)
        ]
        started = time.perf_counter()
        response = client.post(
            "/api/v1/expenses/import",
            content=("\n".join(lines) + "\n").encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
        )
        elapsed = time.perf_counter() - started
    ok = response.status_code == 200 and response.json().get("created") == count
    return Row(
        f"CSV import, {count:,} rows",
        f"{elapsed:.2f} s",
        "—",
        "—",
        "—",
        None,
        "< 2 s",
        ok and elapsed < 2.0,
        "" if ok else f"answered {response.status_code}: {response.text[:200]}",
    )
