"""The authenticated ceiling beside an unauthenticated no-op on the same server.

``GET /health`` is the unauthenticated no-op: it never touches the database and goes
through the same middleware (request log, Prometheus, compression) as
``GET /api/v1/ping``, which differs only by the token check. Their ratio is the
cost of authentication.

Run alone (``python -m tests.benchmarks.ceiling``) it measures the ratio several
times, with the live-login cache on and off (``AUTH_CACHE_SECONDS=0``: the per-request
probe), and optionally another checkout's code (``--tree before=/work/main``), all
servers up at once and measured in turns; ``--profile`` adds py-spy's top frames.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.benchmarks.load import Throughput, wrk
from tests.benchmarks.report import Row
from tests.support import (
    PASSWORD,
    REPO_ROOT,
    ApiServer,
    fresh_database,
    migrate,
    postgres_server,
)

UNAUTHENTICATED = "/health"
AUTHENTICATED = "/api/v1/ping"
TARGET = 0.80


def _rps(result: Throughput) -> str:
    suffix = f" ({result.errors} errors)" if result.errors else ""
    return f"{result.requests_per_second:,.0f} req/s{suffix}"


ROUNDS = 3  # the no-op and the ceiling alternated; one pair moves ±15 % with the machine


def alternated(
    load: Callable[[str], Throughput], rounds: int = ROUNDS
) -> tuple[Throughput, list[Row]]:
    """The two rows of ``make bench``, from ``rounds`` no-op/ceiling pairs run in turn.

    A single pair showed a ratio anywhere from 0.79x to 1.15x on this shared machine;
    each pair is measured back to back, so a load change affects both alike, and the
    median pair's ratio is reported with the spread of all of them. Returns that
    pair's ceiling too: the other rows are measured against it.
    """
    pairs = [(load(UNAUTHENTICATED), load(AUTHENTICATED)) for _ in range(rounds)]
    ratios = sorted(ping.requests_per_second / noop.requests_per_second for noop, ping in pairs)
    median = statistics.median(ratios)
    noop, ceiling = min(
        pairs, key=lambda p: abs(p[1].requests_per_second / p[0].requests_per_second - median)
    )
    spread = f" (median of {rounds} pairs, {ratios[0]:.2f}x-{ratios[-1]:.2f}x)"
    return ceiling, ceiling_rows(noop, ceiling, spread if rounds > 1 else "")


def ceiling_rows(noop: Throughput, ceiling: Throughput, spread: str = "") -> list[Row]:
    """The no-op alone, and the ceiling against it."""
    ratio = ceiling.requests_per_second / noop.requests_per_second
    return [
        Row("unauthenticated no-op", _rps(noop), f"{noop.p99_ms:.1f} ms", "—", "—", None, "—",
            None, _broken(noop)),
        Row("authenticated no-op (ceiling)", _rps(ceiling) + spread, f"{ceiling.p99_ms:.1f} ms",
            "unauthenticated no-op", _rps(noop), ratio, f">= {TARGET:.2f}x",
            ratio >= TARGET and ceiling.errors == 0, _broken(ceiling)),
    ]  # fmt: skip


def _broken(result: Throughput) -> str:
    return f"{result.errors} error answers" if result.errors else ""


def _cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    api: ApiServer, path: str, token: str, seconds: int, warmup: int
) -> tuple[Throughput, float]:
    """Throughput, and the server's own CPU time per request in microseconds: on a
    machine other work shares, CPU per request moves far less than requests per
    second (though it leaves out the database's share of a probe)."""
    if warmup:
        wrk(api.url, [path], token, warmup, warmup=0)
    before = _cpu_seconds(api.process.pid)
    result = wrk(api.url, [path], token, seconds, warmup=0)
    used = _cpu_seconds(api.process.pid) - before
    return result, used * 1e6 / max(result.requests_per_second * seconds, 1)


def _profiled(api: ApiServer, token: str, seconds: int, work: Path, name: str) -> None:
    import subprocess

    from tests.benchmarks.profile_handlers import top_frames

    raw = work / f"{name}.txt"
    spy = subprocess.Popen(
        [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(api.process.pid),
         "--format", "raw", "--rate", "200", "--duration", str(seconds), "-o", str(raw),
         "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    result = wrk(api.url, [AUTHENTICATED], token, seconds, warmup=1)
    spy.wait(60)
    print(f"{name} under py-spy: {result.requests_per_second:,.0f} req/s")
    if raw.exists():
        # By function, not by line: a function's time is otherwise split over its lines.
        raw.write_text(re.sub(r":\d+\)", ")", raw.read_text()))
        top_frames(raw, count=22)


def _start(url: str, work: Path, label: str, source: Path, env: dict[str, str]) -> ApiServer:
    env = {"APP_ENV": "production", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(source), **env}
    return ApiServer(url, work / f"api-{label}.log", extra_env=env, source=source).start()


def _token(api: ApiServer, label: str) -> str:
    account = {"email": f"ceiling-{label}@example.com", "password": PASSWORD}
    httpx.post(f"{api.url}/api/v1/auth/register", json=account, timeout=30)
    return httpx.post(f"{api.url}/api/v1/auth/login", json=account, timeout=30).json()[
        "access_token"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="rounds over every variant")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="also measure another checkout's code (e.g. before=/work/main)",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy each variant's ceiling")
    args = parser.parse_args(argv)
    # label -> (checkout, extra environment); all run at once, measured in turns so
    # that a machine whose load changes affects every variant alike.
    variants = {"cache": (REPO_ROOT, {}), "probe": (REPO_ROOT, {"AUTH_CACHE_SECONDS": "0"})}
    for entry in args.tree:
        label, _, folder = entry.partition("=")
        variants[label] = (Path(folder).resolve(), {})
    with tempfile.TemporaryDirectory(prefix="expense-ceiling-") as folder:
        work = Path(folder)
        with postgres_server(work) as server, fresh_database(server, "ceiling") as url:
            migrate(url)
            apis: dict[str, tuple[ApiServer, str]] = {}
            try:
                for label, (source, env) in variants.items():
                    api = _start(url, work, label, source, env)
                    apis[label] = (api, _token(api, label))
                ratios: dict[str, list[float]] = {label: [] for label in apis}
                cpu_ratios: dict[str, list[float]] = {label: [] for label in apis}
                for run in range(args.runs):
                    for label, (api, token) in apis.items():
                        noop, noop_cpu = measure(
                            api, UNAUTHENTICATED, token, args.seconds, args.warmup
                        )
                        ping, ping_cpu = measure(
                            api, AUTHENTICATED, token, args.seconds, args.warmup
                        )
                        ratios[label].append(ping.requests_per_second / noop.requests_per_second)
                        cpu_ratios[label].append(noop_cpu / ping_cpu)
                        print(
                            f"run {run + 1} {label}: no-op {_rps(noop)} p99 {noop.p99_ms:.1f} ms "
                            f"{noop_cpu:.0f} us CPU/req; ping {_rps(ping)} p99 {ping.p99_ms:.1f} "
                            f"ms {ping_cpu:.0f} us CPU/req; ratio {ratios[label][-1]:.2f}x, "
                            f"by CPU {cpu_ratios[label][-1]:.2f}x",
                            flush=True,
                        )
                for label in apis:
                    values, cpu = ratios[label], cpu_ratios[label]
                    print(
                        f"{label}: median ratio {statistics.median(values):.2f}x "
                        f"(min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs); "
                        f"by CPU per request {statistics.median(cpu):.2f}x "
                        f"(min {min(cpu):.2f}, max {max(cpu):.2f})"
                    )
                if args.profile:
                    for label, (api, token) in apis.items():
                        _profiled(api, token, args.seconds, work, f"ping, {label}")
            finally:
                for api, _ in apis.values():
                    api.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
