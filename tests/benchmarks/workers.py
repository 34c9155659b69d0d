"""Scaling with workers: the same load on one API process, then on two.

Both servers run side by side on the benchmark's database (``serve --workers 2``
for the second). Beside each figure, the share of the machine's CPU that
PostgreSQL used during that measure (from /proc), which bounds what more API
processes can win on the same cores.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from tests.benchmarks.load import Throughput, wrk
from tests.benchmarks.report import Row
from tests.support import ApiServer


def _cpu_ticks() -> tuple[int, int]:
    """(all CPU ticks of the machine, ticks used by PostgreSQL processes) so far."""
    with open("/proc/stat") as stat:
        total = sum(int(value) for value in stat.readline().split()[1:])
    postgres = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as process:
                fields = process.read().rsplit(")", 1)
        except OSError:  # gone meanwhile
            continue
        if fields[0].endswith("(postgres"):
            values = fields[1].split()
            postgres += int(values[11]) + int(values[12])  # utime, stime
    return total, postgres


def _measured(run: Callable[[], Throughput]) -> tuple[Throughput, float]:
    total_before, postgres_before = _cpu_ticks()
    result = run()
    total_after, postgres_after = _cpu_ticks()
    return result, (postgres_after - postgres_before) / max(1, total_after - total_before)


def _row(name: str, one: tuple[Throughput, float], two: tuple[Throughput, float]) -> Row:
    (single, single_share), (double, double_share) = one, two
    ratio = double.requests_per_second / single.requests_per_second
    errors = single.errors + double.errors
    return Row(
        f"{name}: 2 workers vs 1",
        f"{double.requests_per_second:,.0f} req/s (PostgreSQL {double_share:.0%} of CPU)",
        f"{double.p99_ms:.1f} ms",
        "1 worker",
        f"{single.requests_per_second:,.0f} req/s (PostgreSQL {single_share:.0%} of CPU)",
        ratio,
        ">= 1.70x",
        ratio >= 1.7 and errors == 0,
        f"{errors} error answers" if errors else "",
    )


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

    one = {name: _measured(load(api, how)) for name, how in measures.items()}
    env = {"APP_ENV": "production", "LOG_LEVEL": "WARNING"}
    log = api.log_path.with_name("api-two-workers.log")
    two_workers = ApiServer(database_url, log, extra_env=env, extra_args=["--workers", "2"])
    two_workers.start()
    try:
        two = {name: _measured(load(two_workers, how)) for name, how in measures.items()}
    finally:
        two_workers.stop()
    return [_row(name, one[name], two[name]) for name in measures]
