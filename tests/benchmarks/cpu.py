"""Where a load's CPU goes, from /proc: the machine, the API process, PostgreSQL.

On this machine the API, PostgreSQL and wrk share two cores, so requests per second
alone cannot say whether a figure is bound by our code or by the cores: CPU time
per request can.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from tests.benchmarks.load import Throughput
from tests.benchmarks.report import Row

TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Ticks:
    total: int  # every CPU tick of the machine
    idle: int
    postgres: int  # used by processes named postgres
    process: int  # used by the process of interest (the API)


def ticks(pid: int | None = None) -> Ticks:
    with open("/proc/stat") as stat:
        machine = [int(value) for value in stat.readline().split()[1:]]
    postgres = process = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as status:
                name, _, rest = status.read().rpartition(")")
        except OSError:  # gone meanwhile
            continue
        values = rest.split()
        used = int(values[11]) + int(values[12])  # utime, stime
        if name.endswith("(postgres"):
            postgres += used
        if pid is not None and int(entry.name) == pid:
            process += used
    return Ticks(sum(machine), machine[3] + machine[4], postgres, process)  # idle, iowait


@dataclass(frozen=True)
class Measured:
    throughput: Throughput
    postgres_share: float  # of the machine's CPU
    busy: float  # share of the machine's CPU used by anything
    process_us: float  # the API process's CPU per request
    postgres_us: float  # PostgreSQL's CPU per request


def measured(run: Callable[[], Throughput], seconds: float, pid: int | None = None) -> Measured:
    """``run``'s throughput and where its CPU went; ``seconds``: how long it loads."""
    before = ticks(pid)
    result = run()
    after = ticks(pid)
    span = max(1, after.total - before.total)
    requests = max(1.0, result.requests_per_second * seconds)
    per_request = 1e6 / TICK / requests
    return Measured(
        result,
        (after.postgres - before.postgres) / span,
        1 - (after.idle - before.idle) / span,
        (after.process - before.process) * per_request,
        (after.postgres - before.postgres) * per_request,
    )


def cpu_row(name: str, ours: Measured, ceiling: Measured) -> Row:
    """CPU per request of a measure beside the ceiling's: how far the cores let the
    measure get, whatever the code above the SQL does."""

    def split(m: Measured) -> str:
        return f"API {m.process_us:,.0f} us + PostgreSQL {m.postgres_us:,.0f} us"

    total = ours.process_us + ours.postgres_us
    ceiling_total = ceiling.process_us + ceiling.postgres_us
    return Row(
        f"{name}: CPU per request",
        split(ours),
        "—",
        "ceiling",
        split(ceiling),
        ceiling_total / max(total, 1.0),
        "—",
        None,
    )
