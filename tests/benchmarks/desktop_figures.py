"""Desktop figures for the benchmark report, measured against the benchmark's API.

The heavy user (100k expenses in ``make bench``) is the "demo data scaled to 100k";
the measuring itself lives in ``tests/desktop/bench_ui.py``.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

from tests.benchmarks.report import Row
from tests.desktop.bench_ui import cold_start, in_process, warm_start


def desktop_rows(api_url: str, email: str, password: str, rows: int, runs: int) -> list[Row]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    account = SimpleNamespace(email=email, password=password)
    starts = cold_start(api_url, account, runs)
    painted = max(first_paint for _, first_paint in starts)
    warm = warm_start(api_url, account, runs)
    warm_ms = max(since_built for _, since_built in warm) * 1000
    figures = in_process(api_url, account, rows)
    loaded = f"{figures['rows_loaded']:,} rows in {figures['load_all_s']:.1f} s"
    resorted = f"{figures['rows_sorted']:,} rows by amount in {figures['sort_all_s']:.1f} s"
    return [
        Row(
            f"desktop: cold start to first page painted (worst of {runs})",
            f"{painted:.2f} s",
            "—",
            "—",
            "—",
            None,
            "< 2 s",
            painted < 2.0,
        ),
        Row(
            "desktop: first page shown after its response",
            f"{figures['first_page_ms']:.1f} ms",
            "—",
            "—",
            "—",
            None,
            "< 300 ms",
            figures["first_page_ms"] < 300,
        ),
        Row(
            f"desktop: longest UI-thread block, scrolling {loaded}",
            f"{figures['max_ui_block_ms']:.1f} ms",
            f"{figures['p99_ui_block_ms']:.1f} ms",
            "—",
            "—",
            None,
            "< 100 ms",
            figures["max_ui_block_ms"] < 100,
        ),
        Row(
            f"desktop: warm cache, window built to first rows painted (worst of {runs})",
            f"{warm_ms:.0f} ms",
            "—",
            "—",
            "—",
            None,
            "< 300 ms",
            warm_ms < 300,
        ),
        Row(
            f"desktop: longest UI-thread block, sorting {resorted}",
            f"{figures['max_sort_block_ms']:.1f} ms",
            f"{figures['p99_sort_block_ms']:.1f} ms",
            "—",
            "—",
            None,
            "< 100 ms",
            figures["max_sort_block_ms"] < 100,
        ),
    ]
