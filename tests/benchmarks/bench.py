"""``make bench`` / ``make bench-smoke``: the API under load, beside its baselines.

Every figure is printed with the baseline measured in the same run and the ratio
between them, so results from a noisy machine still compare. ``--smoke`` runs the
same code on a tiny dataset for a few seconds (part of ``make test``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from tests.benchmarks import dataset, scenarios
from tests.benchmarks.desktop_figures import desktop_rows
from tests.benchmarks.report import Row, render
from tests.support import ApiServer, fresh_database, migrate, postgres_server

RESULTS = Path(__file__).with_name("RESULTS.md")
# Every figure a run must produce, by row name; <n> stands for a count, <...> for
# any text (the figure itself, in some names).
FIGURES = (
    "unauthenticated no-op",
    "authenticated no-op (ceiling)",
    "list, first page",
    "list, first page: vs DB floor",
    "list, first page: DB floor vs ceiling (bound)",
    "list, first page: CPU per request",
    "list, deep page",
    "list, deep page: vs DB floor",
    "list, deep page: DB floor vs ceiling (bound)",
    "list, first page, by amount",
    "list, deep page, by amount",
    "list, first page, by description",
    "list, deep page, by description",
    "list, first page, by category",
    "list, deep page, by category",
    "list, first page, by created_at",
    "list, deep page, by created_at",
    "get one",
    "get one: vs DB floor",
    "summary (all rows)",
    "summary (all rows): vs DB floor",
    "summary, date range (<n> months)",
    "summary, category",
    "summary, date range and category (<n> months)",
    "summary, text filter",
    "summary, tag",
    "analytics, monthly (12 months)",
    "analytics, categories (1 year)",
    "analytics, tags (1 year)",
    "create",
    "create: vs DB floor",
    "create: DB floor vs ceiling (bound)",
    "create, <n> writers in one bucket (SQL)",
    "list, first page: 2 workers vs 1",
    "create: 2 workers vs 1",
    "list, first page: 2 workers vs what the cores allow",
    "create: 2 workers vs what the cores allow",
    "update",
    "update: vs DB floor",
    "budget status (<n> years, <n> budgets)",
    "budget status: vs DB floor",
    "budget status SQL, EXPLAIN ANALYZE",
    "upcoming (30 days, <n> plans)",
    "upcoming: vs DB floor",
    "CSV export, heavy user",
    "CSV export: server RSS growth",
    "CSV import, <n> rows",
    "bank file preview, OFX <n> rows",
    "bank file import, OFX <n> rows",
    "bank file preview, CSV <n> rows",
    "bank file import, CSV <n> rows",
    "base-currency change USD->EUR, <n> expenses",
    "base-currency change EUR->USD, <n> expenses",
    "desktop: cold start to first page painted (worst of <n>)",
    "desktop: first page shown after its response",
    "desktop: longest UI-thread block, scrolling <...>",
    "desktop: warm cache, window built to first rows painted (worst of <n>)",
    "desktop: longest UI-thread block, sorting <...>",
)


def _pattern(figure: str) -> str:
    return re.escape(figure).replace("<n>", r"[\d,]+").replace(r"<\.\.\.>", ".+")


def verdict(rows: list[Row], crashed: bool) -> tuple[int, list[str]]:
    """Exit status and reasons: 1 when benchmark code crashed, a figure is missing or
    broken (error answers, wrong results). Missed targets are reported, not failed."""
    problems = ["a scenario raised (traceback above)"] if crashed else []
    names = [row.name for row in rows]
    for figure in FIGURES:
        if not any(re.fullmatch(_pattern(figure), name) for name in names):
            problems.append(f"figure missing: {figure}")
    problems += [f"figure broken: {row.name}: {row.broken}" for row in rows if row.broken]
    return (1 if problems else 0), problems


PREVIOUS = "\n## The run before this one\n\n"


def previous_run(results: Path) -> str:
    """The last run's figures, kept beside the new ones so a change shows before/after."""
    if not results.exists():
        return ""
    text = results.read_text().split(PREVIOUS)[0]  # that run's own figures only
    return PREVIOUS + text.removeprefix("# Benchmark results\n\n")


def machine_description() -> str:
    versions = []
    for package in ("litestar", "piccolo", "asyncpg", "uvicorn", "msgspec", "PySide6-Essentials"):
        try:
            from importlib.metadata import version

            versions.append(f"{package} {version(package)}")
        except Exception:  # noqa: S112 - a missing optional package is just not listed
            continue
    cpu = platform.processor() or platform.machine()
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; " + ", ".join(versions)
    )


async def prepare(url: str, size: dataset.DatasetSize) -> dataset.Dataset:
    conn = await asyncpg.connect(url)
    try:
        return await dataset.build(conn, size, datetime.now(UTC).date())
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny dataset, a few seconds")
    parser.add_argument("--seconds", type=int, default=None, help="seconds per measure")
    args = parser.parse_args(argv)
    size = dataset.SMOKE if args.smoke else dataset.FULL
    seconds = args.seconds or (1 if args.smoke else 8)

    with tempfile.TemporaryDirectory(prefix="expense-bench-") as workdir:
        work = Path(workdir)
        with (
            postgres_server(work) as server_url,
            fresh_database(server_url, "expense_bench") as url,
        ):
            migrate(url)
            print(f"building dataset: {size.users} users, {size.total_expenses} expenses ...")
            data = asyncio.run(prepare(url, size))
            print(f"  loaded with COPY in {data.seconds:.1f} s")
            api = ApiServer(
                url,
                work / "api.log",
                extra_env={"APP_ENV": "production", "LOG_LEVEL": "WARNING"},
            ).start()
            rows: list[Row] = []
            crashed = False
            try:
                rows += asyncio.run(scenarios.run_all(api, url, data, seconds, smoke=args.smoke))
                rows += desktop_rows(
                    api.url,
                    data.heavy_email,
                    dataset.BENCH_PASSWORD,
                    rows=size.heavy_expenses,
                    runs=1 if args.smoke else 3,
                )
            except Exception:  # reported with what was measured, then exit 1
                traceback.print_exc()
                crashed = True
            finally:
                api.stop()

    table = render(rows)
    print(table)
    status, problems = verdict(rows, crashed)
    if not args.smoke and status == 0:  # a broken run never overwrites the results
        RESULTS.write_text(
            "# Benchmark results\n\n"
            f"Run on {datetime.now(UTC).date().isoformat()} by `make bench`: "
            f"{machine_description()}.\n"
            f"Dataset: {size.users} users, {size.total_expenses} expenses (heavy user "
            f"{size.heavy_expenses} over {size.heavy_years} years); wrk at 32 connections, "
            f"{seconds:g} s per measure after a warm-up; one uvicorn worker with production "
            "settings.\n\n" + table + "\n" + previous_run(RESULTS)
        )
        print(f"written to {RESULTS}")
    failed = [row.name for row in rows if row.met is False]
    if failed:
        print("targets missed: " + ", ".join(failed))
    for problem in problems:
        print(f"BENCHMARK FAILED: {problem}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
