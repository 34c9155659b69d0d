"""Where the list and create handlers spend their time: py-spy samples of the API
process while wrk loads it (``make profile``; not part of ``make test``).

Prints, per endpoint, the throughput and the top frames by own time and by time
including callees (ours and the libraries'). A frame ``Runner.run`` is the event
loop waiting: time the API process spent idle, that is, on the database's side;
the statements that side ran, with their times, follow when the server has
pg_stat_statements (``statements.py``).
"""

from __future__ import annotations

import asyncio
import collections
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx

from tests.benchmarks import dataset, statements
from tests.benchmarks.load import wrk
from tests.support import ApiServer, fresh_database, migrate, postgres_server

SIZE = dataset.DatasetSize(users=50, heavy_expenses=100_000, heavy_years=5, other_expenses=200)
SECONDS = 8
INTERESTING = ("/api/", "litestar/", "asyncpg", "msgspec", "jwt/")


def top_frames(raw: Path, count: int = 14) -> None:
    """The collapsed stacks py-spy wrote, as the top frames by own and by total time."""
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, weight_text = line.rpartition(" ")
        weight = int(weight_text)
        samples += weight
        frames = stack.split(";")
        own[frames[-1]] += weight
        for frame in set(frames):
            total[frame] += weight
    print(f"  {samples} samples; own time:")
    for frame, weight in own.most_common(count):
        print(f"    {100 * weight / samples:5.1f}%  {frame[:140]}")
    print("  with callees (ours and the libraries'):")
    ours = [(f, w) for f, w in total.most_common(300) if any(k in f for k in INTERESTING)]
    for frame, weight in ours[:count]:
        print(f"    {100 * weight / samples:5.1f}%  {frame[:140]}")


async def build(url: str) -> dataset.Dataset:
    conn = await asyncpg.connect(url)
    try:
        return await dataset.build(conn, SIZE, datetime.now(UTC).date())
    finally:
        await conn.close()


def profile(api: ApiServer, token: str, name: str, work: Path, **load: object) -> None:
    raw = work / f"{name}.txt"
    statements.reset(api.database_url)
    spy = subprocess.Popen(
        [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(api.process.pid),
         "--format", "raw", "--rate", "200", "--duration", str(SECONDS), "-o", str(raw),
         "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    paths = load.pop("paths")
    result = wrk(api.url, paths, token, SECONDS, warmup=1, **load)  # type: ignore[arg-type]
    spy.wait(60)
    print(f"{name}: {result.requests_per_second:,.0f} req/s, p99 {result.p99_ms:.1f} ms")
    if raw.exists():
        top_frames(raw)
    else:
        print("  py-spy recorded nothing:", spy.stderr.read().decode()[-300:])
    statements.print_top(api.database_url)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="expense-profile-") as folder:
        work = Path(folder)
        with postgres_server(work) as server, fresh_database(server, "profile") as url:
            migrate(url)
            data = asyncio.run(build(url))
            env = {"APP_ENV": "production", "LOG_LEVEL": "WARNING"}
            api = ApiServer(url, work / "api.log", extra_env=env).start()
            try:
                login = {"email": data.heavy_email, "password": dataset.BENCH_PASSWORD}
                token = httpx.post(f"{api.url}/api/v1/auth/login", json=login).json()
                access = token["access_token"]
                day = datetime.now(UTC).date().isoformat()
                body = (
                    f'{{"amount":"12.34","category_id":{data.heavy_category_ids[0]},'
                    f'"spent_on":"{day}","description":"bench"}}'
                )
                profile(api, access, "list, first page", work, paths=["/api/v1/expenses?limit=50"])
                profile(api, access, "create", work, paths=["/api/v1/expenses"], method="POST",
                        body=body)  # fmt: skip
            finally:
                api.stop()


if __name__ == "__main__":
    main()
