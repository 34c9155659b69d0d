"""``make bench-smoke`` fails on broken benchmark code, not on a slow machine."""

from __future__ import annotations

from tests.benchmarks.bench import verdict
from tests.benchmarks.report import Row

NAMES = [
    "unauthenticated no-op",
    "authenticated no-op (ceiling)",
    *(
        name
        for base in ("list, first page", "list, deep page", "get one", "summary (all rows)")
        for name in (base, f"{base}: vs DB floor")
    ),
    *(
        f"list, {page}, by {sort}"
        for sort in ("amount", "description", "category", "created_at")
        for page in ("first page", "deep page")
    ),
    "list, first page: DB floor vs ceiling (bound)",
    "list, deep page: DB floor vs ceiling (bound)",
    "list, first page: CPU per request",
    "list, first page: 2 workers vs 1",
    "create: 2 workers vs 1",
    "list, first page: 2 workers vs what the cores allow",
    "create: 2 workers vs what the cores allow",
    "summary, date range (12 months)",
    "summary, category",
    "summary, date range and category (12 months)",
    "summary, text filter",
    "summary, tag",
    "analytics, monthly (12 months)",
    "analytics, categories (1 year)",
    "analytics, tags (1 year)",
    "create",
    "create: vs DB floor",
    "create: DB floor vs ceiling (bound)",
    "create, 32 writers in one bucket (SQL)",
    "update",
    "update: vs DB floor",
    "budget status (2 years, 9 budgets)",
    "budget status: vs DB floor",
    "budget status SQL, EXPLAIN ANALYZE",
    "upcoming (30 days, 12 plans)",
    "upcoming: vs DB floor",
    "CSV export, heavy user",
    "CSV export: server RSS growth",
    "CSV import, 1,000 rows",
    "bank file preview, OFX 200 rows",
    "bank file import, OFX 200 rows",
    "bank file preview, CSV 200 rows",
    "bank file import, CSV 200 rows",
    "base-currency change USD->EUR, 3,800 expenses",
    "base-currency change EUR->USD, 3,800 expenses",
    "desktop: cold start to first page painted (worst of 1)",
    "desktop: first page shown after its response",
    "desktop: longest UI-thread block, scrolling 2,000 rows in 0.4 s",
    "desktop: warm cache, window built to first rows painted (worst of 1)",
    "desktop: longest UI-thread block, sorting 2,000 rows by amount in 0.4 s",
]


def rows(met: bool = True) -> list[Row]:
    return [Row(name, "1", "—", "—", "—", None, "—", met) for name in NAMES]


def test_a_complete_run_passes_even_when_targets_are_missed():
    assert verdict(rows(met=True), crashed=False) == (0, [])
    assert verdict(rows(met=False), crashed=False) == (0, [])


def test_a_scenario_that_raised_fails_the_run():
    assert verdict(rows(), crashed=True) == (1, ["a scenario raised (traceback above)"])


def test_a_missing_figure_fails_the_run():
    status, problems = verdict([r for r in rows() if r.name != "get one"], crashed=False)
    assert status == 1
    assert problems == ["figure missing: get one"]


def test_a_figure_made_of_error_answers_fails_the_run():
    broken = rows()
    broken[3].broken = "200 error answers"
    status, problems = verdict(broken, crashed=False)
    assert status == 1
    assert problems == [f"figure broken: {NAMES[3]}: 200 error answers"]
    assert "(BROKEN: 200 error answers)" in broken[3].cells()[1]


def test_a_new_run_keeps_only_the_run_before_it(tmp_path):
    from tests.benchmarks.bench import PREVIOUS, previous_run

    results = tmp_path / "RESULTS.md"
    assert previous_run(results) == ""
    results.write_text("# Benchmark results\n\nRun one.\n\n| a |\n" + PREVIOUS + "Run zero.\n")
    assert previous_run(results) == PREVIOUS + "Run one.\n\n| a |\n"
