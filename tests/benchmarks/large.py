"""``make bench-large``: does a request cost more when the history is ten times longer?

Two databases on one PostgreSQL, built with COPY: the 1-million dataset of ``make
bench`` (1,000 users; the heavy user has 100,000 expenses over 5 years) and a
10-million one (10,000 users; the heavy user has 1,000,000 expenses over 50 years,
the same density, so a month holds as many rows in both). One API server on each.
Every endpoint is measured on both, alternately and twice, so a machine whose load
drifts during the run hurts both sides alike; the larger side must stay within
1.2x of the smaller. Not part of ``make test``; writes ``RESULTS-large.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

from tests.benchmarks import dataset
from tests.benchmarks.load import Throughput, wrk
from tests.benchmarks.planning import seed
from tests.benchmarks.report import Row, render
from tests.support import ApiServer, fresh_database, migrate, postgres_server

RESULTS = Path(__file__).with_name("RESULTS-large.md")
ONE = dataset.FULL
TEN = dataset.DatasetSize(
    users=10_000, heavy_expenses=1_000_000, heavy_years=50, other_expenses=900
)
SMOKE_ONE = dataset.SMOKE
SMOKE_TEN = dataset.DatasetSize(users=30, heavy_expenses=20_000, heavy_years=20, other_expenses=50)
LIMIT = 1.2


async def _build(url: str, size: dataset.DatasetSize, today: date) -> dataset.Dataset:
    conn = await asyncpg.connect(url)
    try:
        data = await dataset.build(conn, size, today)
    finally:
        await conn.close()
    pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
    try:
        await seed(pool, data.heavy_user_id, data.heavy_category_ids, today, 5)
    finally:
        await pool.close()
    return data


def _paths(today: date) -> dict[str, str]:
    year_ago = today.replace(year=today.year - 1) + timedelta(days=1)
    return {
        "list, first page": "/api/v1/expenses?limit=50",
        "list, by category": "/api/v1/expenses?limit=50&sort=category",
        "analytics, monthly (12 months)": "/api/v1/analytics/monthly",
        "analytics, categories (1 year)": f"/api/v1/analytics/categories?from={year_ago}",
        "budget status": "/api/v1/budgets/status",
        "summary, one year": f"/api/v1/expenses/summary?from={year_ago}&to={today}",
        "summary, all history": "/api/v1/expenses/summary",
    }


def _token(api: ApiServer, email: str) -> str:
    body = {"email": email, "password": dataset.BENCH_PASSWORD}
    response = httpx.post(f"{api.url}/api/v1/auth/login", json=body, timeout=60)
    response.raise_for_status()
    return response.json()["access_token"]


def _row(name: str, small: list[Throughput], large: list[Throughput]) -> Row:
    """p99 for the list (its target is latency), throughput for the rest."""
    errors = sum(t.errors for t in small + large)
    if name.startswith("list"):
        a, b = min(t.p99_ms for t in small), min(t.p99_ms for t in large)
        ratio, shown = b / max(a, 0.001), (f"p99 {b:.1f} ms", f"p99 {a:.1f} ms")
    else:
        a = max(t.requests_per_second for t in small)
        b = max(t.requests_per_second for t in large)
        ratio, shown = a / max(b, 0.001), (f"{b:,.0f} req/s", f"{a:,.0f} req/s")
    return Row(
        f"{name}: 10M vs 1M",
        shown[0],
        f"{min(t.p99_ms for t in large):.1f} ms",
        "1M expenses",
        shown[1],
        ratio,
        f"cost <= {LIMIT:.1f}x",
        ratio <= LIMIT and errors == 0,
        f"{errors} error answers" if errors else "",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny datasets, a few seconds")
    args = parser.parse_args(argv)
    sizes = (SMOKE_ONE, SMOKE_TEN) if args.smoke else (ONE, TEN)
    seconds = 1 if args.smoke else 8
    today = datetime.now(UTC).date()
    with (
        tempfile.TemporaryDirectory(prefix="expense-bench-large-") as folder,
        postgres_server(Path(folder)) as server,
        fresh_database(server, "bench_small") as small_url,
        fresh_database(server, "bench_large") as large_url,
    ):
        built = []
        for url, size in zip((small_url, large_url), sizes, strict=True):
            migrate(url)
            print(f"building {size.total_expenses:,} expenses ...", flush=True)
            built.append(asyncio.run(_build(url, size, today)))
            print(f"  loaded with COPY in {built[-1].seconds:.0f} s", flush=True)
        env = {"APP_ENV": "production", "LOG_LEVEL": "WARNING"}
        servers = [
            ApiServer(url, Path(folder) / f"api-{n}.log", extra_env=env).start()
            for n, url in enumerate((small_url, large_url))
        ]
        try:
            tokens = [
                _token(api, data.heavy_email) for api, data in zip(servers, built, strict=True)
            ]
            figures: dict[str, list[list[Throughput]]] = {}
            for name, path in _paths(today).items():
                figures[name] = [[], []]
                for _ in range(2):
                    for side in (0, 1):
                        figures[name][side].append(
                            wrk(servers[side].url, [path], tokens[side], seconds, warmup=2)
                        )
        finally:
            for api in servers:
                api.stop()
    rows = [_row(name, small, large) for name, (small, large) in figures.items()]
    table = render(rows)
    print(table)
    if not args.smoke:
        RESULTS.write_text(
            "# Large-history benchmark\n\n"
            f"Run on {today.isoformat()} by `make bench-large`: the heavy user with "
            f"{ONE.heavy_expenses:,} expenses over {ONE.heavy_years} years among "
            f"{ONE.total_expenses:,}, then {TEN.heavy_expenses:,} over {TEN.heavy_years} "
            f"years among {TEN.total_expenses:,}; wrk at 32 connections, {seconds} s per "
            "measure, each side measured twice, alternately (best of two shown).\n\n" + table + "\n"
        )
    broken = [row.name for row in rows if row.broken]
    for name in broken:
        print(f"BENCHMARK FAILED: {name}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
