"""Load generators: wrk against the HTTP API, and asyncpg for the database floor."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import asyncpg

CONNECTIONS = 32
WRK_INSTALL_HINT = "wrk is missing: install it with `sudo apt-get install -y wrk` (Debian/Ubuntu)"


@dataclass(frozen=True)
class Throughput:
    requests_per_second: float
    p99_ms: float
    errors: int = 0


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit(WRK_INSTALL_HINT)
    return path


def _lua_request(method: str, path_choices: list[str], body: str | None, headers: dict) -> str:
    quoted_paths = ", ".join(f'"{p}"' for p in path_choices)
    header_lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    body_literal = "nil" if body is None else "[[" + body + "]]"
    return f"""
local paths = {{{quoted_paths}}}
wrk.method = "{method}"
{header_lines}
local body = {body_literal}
local responses = {{}}
request = function()
    return wrk.format(nil, paths[math.random(#paths)], nil, body)
end
response = function(status, headers, body)
    if status >= 400 then responses[status] = (responses[status] or 0) + 1 end
end
done = function(summary, latency, requests)
    local failed = 0
    for _, count in pairs(responses) do failed = failed + count end
    io.write(string.format("http_errors %d\\n", failed))
end
"""


def wrk(
    base_url: str,
    paths: list[str],
    token: str,
    seconds: int,
    method: str = "GET",
    body: str | None = None,
    warmup: int = 1,
) -> Throughput:
    """Run wrk at ``CONNECTIONS`` connections (after a warm-up) and parse its report."""
    headers = {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua_request(method, paths, body, headers))
    try:
        command = [require_wrk(), "-t2", f"-c{CONNECTIONS}", "--latency", "-s", script.name]
        if warmup > 0:
            subprocess.run([*command, f"-d{warmup}s", base_url], capture_output=True, check=True)
        out = subprocess.run(
            [*command, f"-d{seconds}s", base_url], capture_output=True, text=True, check=True
        ).stdout
    finally:
        Path(script.name).unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = _duration_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = int(re.search(r"http_errors (\d+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Throughput(rps, p99, errors + (int(non2xx.group(1)) if non2xx else 0))


def _duration_ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


async def floor(
    pool: asyncpg.Pool,
    operation: Callable[[asyncpg.Connection], Awaitable[object]],
    seconds: float,
    warmup: float = 0.5,
) -> Throughput:
    """The same SQL straight through asyncpg, ``CONNECTIONS`` callers at once."""

    async def run_for(duration: float, latencies: list[float]) -> None:
        deadline = time.perf_counter() + duration

        async def caller() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                async with pool.acquire() as conn:
                    await operation(conn)
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(caller() for _ in range(CONNECTIONS)))

    await run_for(warmup, [])
    latencies: list[float] = []
    started = time.perf_counter()
    await run_for(seconds, latencies)
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0.0
    return Throughput(len(latencies) / elapsed, p99 * 1000)
