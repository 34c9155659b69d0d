"""The bank-file import alone, repeated: preview and import of the 10,000-row OFX and
CSV (``bank_import``'s files and requests) by users with a history, over HTTP.

``python -m tests.benchmarks.bank_import_runs [--rounds 5] [--source DIR ...]
[--profile]`` copies the bench database (``benchdb`` on the persistent cluster, read
only: ``CREATE DATABASE ... TEMPLATE``), starts one API server per ``--source``
checkout (default: this one) and, round after round, has each server's next user
preview and import both files, the servers taking turns, so two checkouts compare
under the same load. Each user is one of the dataset's light users (900 expenses
over the last year, tagged here), with rules that categorise and tag part of the
statement and recurring plans that some rows pay. Prints every timing and the
median per server and request; ``--fresh`` takes new users without history
instead, as ``make bench`` does. ``--profile`` records the last round of the first
server with py-spy and prints pg_stat_statements (statements inside trigger
functions too) for that round. Nothing is asserted: figures to read.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import asyncpg
import httpx

from api import rollups
from tests.benchmarks import dataset
from tests.benchmarks.bank_files import csv_file, ofx_file
from tests.benchmarks.bank_import import _timed
from tests.benchmarks.profile_handlers import top_frames
from tests.support import REPO_ROOT, ApiServer, migrate, unique_email, with_database

CLUSTER = "postgresql://postgres@/postgres?host=/var/run/postgresql"
TEMPLATE = "benchdb"
OUR_TEMPLATE = "benchdb_bank_import"
ROWS = 10_000
_STATEMENTS = """
SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, rows,
       regexp_replace(query, '\\s+', ' ', 'g') AS query
FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)
ORDER BY total_exec_time DESC LIMIT 14
"""
# This database's counts only: other sessions use the cluster's too.
_RESET = """SELECT pg_stat_statements_reset(0,
    (SELECT oid FROM pg_database WHERE datname = current_database()), 0)"""


async def _sql(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def _copy(cluster: str, database: str) -> None:
    """``database``, a copy of ``benchdb``. A copy needs its template idle, and other
    sessions read ``benchdb``: it is copied once (retrying) to a template of ours."""
    conn = await asyncpg.connect(cluster)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", OUR_TEMPLATE):
            for attempt in range(60):
                try:
                    await conn.execute(f'CREATE DATABASE "{OUR_TEMPLATE}" TEMPLATE "{TEMPLATE}"')
                    break
                except asyncpg.ObjectInUseError:
                    if attempt == 59:
                        raise
                    await asyncio.sleep(1)
            # As a server that has run a while leaves it: rollups folded, statistics fresh.
            prepared = await asyncpg.connect(with_database(cluster, OUR_TEMPLATE))
            try:
                await rollups.fold(prepared)
                await prepared.execute("VACUUM ANALYZE")
            finally:
                await prepared.close()
        await conn.execute(f'CREATE DATABASE "{database}" TEMPLATE "{OUR_TEMPLATE}"')
    finally:
        await conn.close()


def _history(client: httpx.Client) -> None:
    """Rules and plans a user of bank imports has: some rows categorised and tagged,
    a few paying recurring plans; the user's own expenses partly tagged."""
    categories = {c["name"]: c["id"] for c in client.get("/api/v1/categories").json()["items"]}
    ids = list(categories.values())
    rules = [
        ("Shop 1", {"description_contains": "number 1"},
         {"category_id": ids[1], "tags_add": ["shop"]}),
        ("Shop 2", {"description_contains": "Geschäft 2"}, {"tags_add": ["berlin", "card"]}),
        ("Big", {"amount_min": "500.00"}, {"category_id": ids[2]}),
    ]  # fmt: skip
    for name, when, then in rules:
        client.post("/api/v1/rules", json={"name": name, "when": when, "then": then})
    for description, amount in (("Shop number 7", "7.07"), ("Kartenzahlung Geschäft 3", "9.00")):
        plan = {"description": description, "amount": amount, "category_id": ids[0],
                "next_due": "2024-01-05"}  # fmt: skip
        client.post("/api/v1/recurring", json=plan).raise_for_status()
    expenses = client.get("/api/v1/expenses?limit=60").json()["items"]
    for expense in expenses[::3]:
        client.patch(
            f"/api/v1/expenses/{expense['id']}",
            json={"tags": ["shop"]},
            headers={"If-Match": f'"{expense["version"]}"'},
        )


def _round(api: ApiServer, email: str, files: dict[str, bytes], fresh: bool) -> dict[str, float]:
    timings = {}
    with httpx.Client(base_url=api.url, timeout=120) as client:
        login = {"email": email, "password": dataset.BENCH_PASSWORD}
        if fresh:  # as make bench does: a new account, no history
            login["email"] = unique_email("bank-runs")
            client.post("/api/v1/auth/register", json=login).raise_for_status()
        token = client.post("/api/v1/auth/login", json=login).raise_for_status().json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        if not fresh:
            _history(client)
        for kind, data in files.items():
            seconds, preview = _timed(client, "/api/v1/imports/preview", data)
            preview.raise_for_status()
            timings[f"preview {kind}"] = seconds
            seconds, created = _timed(client, "/api/v1/imports", data)
            assert created.status_code == 201, created.text[:300]
            assert created.json()["created"] == preview.json()["counts"]["new"], created.text
            timings[f"import {kind}"] = seconds
    return timings


def _statements(url: str, database: str) -> None:
    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetch(_STATEMENTS, database)
        finally:
            await conn.close()

    print("  statements by total time (pg_stat_statements, track = all):")
    for row in asyncio.run(run()):
        print(f"    {row['total_ms']:>8} ms {row['calls']:>6} calls {row['rows']:>7} rows"
              f"  {row['query'][:150]}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--source", type=Path, action="append", help="checkouts to compare")
    parser.add_argument("--profile", action="store_true", help="py-spy + pg_stat_statements")
    parser.add_argument("--cluster", default=CLUSTER)
    parser.add_argument("--fresh", action="store_true", help="new users without history")
    parser.add_argument("--show-logs", action="store_true", help="print the servers' logs")
    args = parser.parse_args()
    sources = args.source or [REPO_ROOT]
    files = {"OFX": ofx_file(ROWS), "CSV": csv_file(ROWS)}
    database = f"bankimport_{uuid.uuid4().hex[:8]}"
    url = with_database(args.cluster, database)
    asyncio.run(_copy(args.cluster, database))
    migrate(url)  # this checkout's migrations the bench database lacks
    # Statements inside the trigger functions too; this database only.
    asyncio.run(_sql(url, f"ALTER DATABASE \"{database}\" SET pg_stat_statements.track = 'all'",
                     "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))  # fmt: skip
    results: dict[tuple[int, str], list[float]] = {}
    users = iter(f"bench-{i:04d}@example.com" for i in range(1, 1000))
    with tempfile.TemporaryDirectory(prefix="bank-import-runs-") as folder:
        env = {"APP_ENV": "production", "LOG_LEVEL": "WARNING"}
        apis = [
            ApiServer(url, Path(folder) / f"api-{n}.log", extra_env=env, source=source).start()
            for n, source in enumerate(sources)
        ]
        try:
            for number in range(args.rounds):
                for n, api in enumerate(apis):
                    profiled = args.profile and n == 0 and number == args.rounds - 1
                    spy = None
                    if profiled:
                        asyncio.run(_sql(url, _RESET))
                        raw = Path(folder) / "spy.txt"
                        spy = subprocess.Popen(
                            [str(Path(sys.executable).with_name("py-spy")), "record", "--pid",
                             str(api.process.pid), "--format", "raw", "--rate", "250",
                             "--nonblocking", "-o", str(raw)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                        )  # fmt: skip
                    timings = _round(api, next(users), files, args.fresh)
                    if spy is not None:
                        spy.send_signal(2)  # SIGINT: py-spy writes what it has
                        spy.wait(60)
                    print(f"round {number + 1}, {sources[n]}: "
                          + ", ".join(f"{k} {v:.3f} s" for k, v in timings.items()))  # fmt: skip
                    for name, seconds in timings.items():
                        results.setdefault((n, name), []).append(seconds)
                    if profiled:
                        if raw.exists():
                            top_frames(raw, 25)
                        _statements(args.cluster, database)
        finally:
            for api in apis:
                api.stop()
                if args.show_logs:
                    print(api.log_path.read_text())
            asyncio.run(_sql(args.cluster, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    print(f"median of {args.rounds} rounds:")
    for (n, name), values in results.items():
        print(f"  {sources[n]}  {name:12} {statistics.median(values):.3f} s"
              f"  (min {min(values):.3f}, max {max(values):.3f})")  # fmt: skip


if __name__ == "__main__":
    main()
