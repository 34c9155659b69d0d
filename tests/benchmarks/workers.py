"""Scaling with workers: the same load on one API process, then on two.

Both servers run side by side on the benchmark's database (``serve --workers 2``
for the second). Beside each figure, the share of the machine's CPU that
PostgreSQL used during that measure (from /proc), which bounds what more API
processes can win on the same cores.

The issue's 1.7x assumes the cores are the API's. Here PostgreSQL and wrk run on
the same two cores, so a second worker can at most use what the first left idle:
if one worker's run kept the machine busy a share ``b`` of the time, two can give
at most ``1 / b`` times the throughput at the same CPU cost per request. A second
row reports the measured ratio as a share of that bound: near 1 means the second
worker scales as far as the cores allow (no lock, pool or event-loop contention
wastes it); well below 1 would be a real scaling fault.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.benchmarks.cpu import Measured, measured
from tests.benchmarks.load import Throughput, wrk
from tests.benchmarks.report import Row
from tests.support import ApiServer


def _rows(name: str, one: Measured, two: Measured) -> list[Row]:
    single, single_share = one.throughput, one.postgres_share
    double, double_share = two.throughput, two.postgres_share
    ratio = double.requests_per_second / single.requests_per_second
    errors = single.errors + double.errors
    bound = 1 / max(one.busy, 0.01)
    return [Row(
        f"{name}: 2 workers vs 1",
        f"{double.requests_per_second:,.0f} req/s (PostgreSQL {double_share:.0%} of CPU)",
        f"{double.p99_ms:.1f} ms",
        "1 worker",
        f"{single.requests_per_second:,.0f} req/s (PostgreSQL {single_share:.0%} of CPU)",
        ratio,
        ">= 1.70x",
        ratio >= 1.7 and errors == 0,
        f"{errors} error answers" if errors else "",
    ), Row(
        f"{name}: 2 workers vs what the cores allow",
        f"{ratio:.2f}x (machine {two.busy:.0%} busy)",
        "—",
        "1 worker's idle CPU used",
        f"bound {bound:.2f}x (machine {one.busy:.0%} busy)",
        ratio / bound,
        ">= 0.90x",
        ratio / bound >= 0.9 and errors == 0,
    )]  # fmt: skip


def worker_rows(
    api: ApiServer, database_url: str, token: str, create_body: str, seconds: float
) -> list[Row]:
    measures = {
        "list, first page": {"paths": ["/api/v1/expenses?limit=50"]},
        "create": {"paths": ["/api/v1/expenses"], "method": "POST", "body": create_body},
    }

    def load(server: ApiServer, how: dict) -> Callable[[], Throughput]:
        options = dict(how)
        paths = options.pop("paths")
        return lambda: wrk(server.url, paths, token, seconds, warmup=2, **options)

    one = {name: measured(load(api, how), seconds) for name, how in measures.items()}
    env = {"APP_ENV": "production", "LOG_LEVEL": "WARNING"}
    log = api.log_path.with_name("api-two-workers.log")
    two_workers = ApiServer(database_url, log, extra_env=env, extra_args=["--workers", "2"])
    two_workers.start()
    try:
        two = {name: measured(load(two_workers, how), seconds) for name, how in measures.items()}
    finally:
        two_workers.stop()
    return [row for name in measures for row in _rows(name, one[name], two[name])]
