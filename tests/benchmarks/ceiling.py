"""The authenticated ceiling beside an unauthenticated no-op on the same server.

``GET /health`` is the unauthenticated no-op: it never touches the database and goes
through the same middleware (request log, Prometheus, compression) as
``GET /api/v1/ping``, which differs only by the token check. Their ratio is the
cost of authentication.

Run alone (``python -m tests.benchmarks.ceiling``) it measures the ratio several
times, with the live-login cache on and off (``AUTH_CACHE_SECONDS=0``: the per-request
probe), optionally under py-spy (``--profile``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import httpx

from tests.benchmarks.load import Throughput, wrk
from tests.benchmarks.report import Row
from tests.support import PASSWORD, ApiServer, fresh_database, migrate, postgres_server

UNAUTHENTICATED = "/health"
AUTHENTICATED = "/api/v1/ping"
TARGET = 0.80


def _rps(result: Throughput) -> str:
    suffix = f" ({result.errors} errors)" if result.errors else ""
    return f"{result.requests_per_second:,.0f} req/s{suffix}"


def ceiling_rows(noop: Throughput, ceiling: Throughput) -> list[Row]:
    """The two rows of ``make bench``: the no-op alone, and the ceiling against it."""
    ratio = ceiling.requests_per_second / noop.requests_per_second
    broken = [f"{r.errors} error answers" for r in (noop, ceiling) if r.errors]
    return [
        Row("unauthenticated no-op", _rps(noop), f"{noop.p99_ms:.1f} ms", "—", "—", None, "—",
            None, broken[0] if noop.errors else ""),
        Row("authenticated no-op (ceiling)", _rps(ceiling), f"{ceiling.p99_ms:.1f} ms",
            "unauthenticated no-op", _rps(noop), ratio, f">= {TARGET:.2f}x",
            ratio >= TARGET and ceiling.errors == 0, f"{ceiling.errors} error answers"
            if ceiling.errors else ""),
    ]  # fmt: skip


def measure(url: str, token: str, seconds: int, warmup: int) -> tuple[Throughput, Throughput]:
    noop = wrk(url, [UNAUTHENTICATED], token, seconds, warmup=warmup)
    ceiling = wrk(url, [AUTHENTICATED], token, seconds, warmup=warmup)
    return noop, ceiling


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
        top_frames(raw, count=22)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--cache", default="on,off", help="on, off or on,off")
    parser.add_argument("--profile", action="store_true", help="py-spy the ceiling once")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="expense-ceiling-") as folder:
        work = Path(folder)
        with postgres_server(work) as server, fresh_database(server, "ceiling") as url:
            migrate(url)
            for mode in args.cache.split(","):
                env = {"APP_ENV": "production", "LOG_LEVEL": "WARNING"}
                if mode == "off":
                    env["AUTH_CACHE_SECONDS"] = "0"
                api = ApiServer(url, work / f"api-{mode}.log", extra_env=env).start()
                try:
                    email = f"ceiling-{mode}@example.com"
                    httpx.post(f"{api.url}/api/v1/auth/register",
                               json={"email": email, "password": PASSWORD})  # fmt: skip
                    token = httpx.post(
                        f"{api.url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}
                    ).json()["access_token"]
                    ratios = []
                    for run in range(args.runs):
                        noop, ceiling = measure(api.url, token, args.seconds, args.warmup)
                        ratio = ceiling.requests_per_second / noop.requests_per_second
                        ratios.append(ratio)
                        print(
                            f"cache {mode} run {run + 1}: no-op {_rps(noop)} "
                            f"p99 {noop.p99_ms:.1f} ms; ping {_rps(ceiling)} "
                            f"p99 {ceiling.p99_ms:.1f} ms; ratio {ratio:.2f}x",
                            flush=True,
                        )
                    print(
                        f"cache {mode}: median ratio {statistics.median(ratios):.2f}x "
                        f"(min {min(ratios):.2f}, max {max(ratios):.2f})",
                        flush=True,
                    )
                    if args.profile:
                        _profiled(api, token, args.seconds, work, f"ping, cache {mode}")
                finally:
                    api.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
