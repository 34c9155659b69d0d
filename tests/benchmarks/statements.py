"""The database's side of a profile: pg_stat_statements, when the server has it.

The embedded PostgreSQL (pgserver) ships without the extension; point
``TEST_DATABASE_URL`` at a server started with
``shared_preload_libraries = 'pg_stat_statements'`` (Debian's postgresql-15 has it)
to see which statements a handler costs and how long each takes.
"""

from __future__ import annotations

import asyncio

import asyncpg

_TOP = """
SELECT calls, round(total_exec_time::numeric, 1) AS total_ms,
       round(mean_exec_time::numeric, 3) AS mean_ms, rows,
       regexp_replace(query, '\\s+', ' ', 'g') AS query
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY total_exec_time DESC
LIMIT $1
"""


async def _run(url: str, sql: str, *args: object) -> list[asyncpg.Record] | None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        return await conn.fetch(sql, *args)
    except (
        asyncpg.UndefinedFileError,
        asyncpg.FeatureNotSupportedError,
        asyncpg.ObjectNotInPrerequisiteStateError,
    ):
        return None  # not installed (PostgreSQL 15 and 16 word it differently), or not preloaded
    finally:
        await conn.close()


def reset(url: str) -> bool:
    """Start counting afresh; False when the server has no pg_stat_statements."""
    return asyncio.run(_run(url, "SELECT pg_stat_statements_reset()")) is not None


def print_top(url: str, count: int = 6) -> None:
    rows = asyncio.run(_run(url, _TOP, count))
    if rows is None:
        print("  pg_stat_statements: not on this server (see tests/benchmarks/statements.py)")
        return
    print("  statements by total time (pg_stat_statements):")
    for row in rows:
        print(
            f"    {row['total_ms']:>9} ms  {row['calls']:>7} calls  {row['mean_ms']:>7} ms each"
            f"  {row['query'][:110]}"
        )
