"""The CSV export and import under ``make bench``: throughput, memory, completeness."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta

import asyncpg
import httpx

from api.expenses.export import export_query
from api.expenses.filters import ExpenseFilters
from tests.benchmarks.report import Row
from tests.support import PASSWORD, ApiServer, unique_email


def login(base_url: str, email: str, password: str) -> str:
    response = httpx.post(
        f"{base_url}/api/v1/auth/login", json={"email": email, "password": password}, timeout=30
    )
    response.raise_for_status()
    return response.json()["access_token"]


def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


async def export_rows(api: ApiServer, pool: asyncpg.Pool, token: str, uid: int) -> list[Row]:
    sql, args = export_query(ExpenseFilters(), uid)
    copied = 0

    async def count(chunk: bytes) -> None:
        nonlocal copied
        copied += len(chunk)

    started = time.perf_counter()
    async with pool.acquire() as conn:
        await conn.copy_from_query(sql, *args, output=count, format="csv", header=True)
    raw_seconds = time.perf_counter() - started

    pid = api.process.pid
    before = _rss_kib(pid)
    peak = before
    sampling = True

    def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, _rss_kib(pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    lines = 0
    with httpx.stream(
        "GET",
        f"{api.url}/api/v1/expenses/export.csv",
        # Uncompressed, like the raw COPY it is compared with.
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        timeout=120,
    ) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            lines += chunk.count(b"\n")
    api_seconds = time.perf_counter() - started
    sampling = False
    sampler.join()
    rows_exported = lines - 1
    expected_rows = await pool.fetchval("SELECT count(*) FROM expense WHERE user_id = $1", uid)
    incomplete = (
        "" if rows_exported == expected_rows else f"{rows_exported} of {expected_rows} rows"
    )
    growth_mb = (peak - before) / 1024
    ratio = raw_seconds / api_seconds
    return [
        Row(
            "CSV export, heavy user",
            f"{api_seconds:.2f} s, {rows_exported / api_seconds:,.0f} rows/s",
            "—",
            "raw COPY TO STDOUT",
            f"{raw_seconds:.2f} s",
            ratio,
            ">= 0.50x",
            ratio >= 0.5,
            incomplete,
        ),
        Row(
            "CSV export: server RSS growth",
            f"{growth_mb:.1f} MB",
            "—",
            "—",
            "—",
            None,
            "< 10 MB",
            growth_mb < 10,
        ),
    ]


def import_row(api: ApiServer, today: date, count: int) -> Row:
    email = unique_email("bench-import")
    with httpx.Client(base_url=api.url, timeout=120) as client:
        client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        token = login(api.url, email, PASSWORD)
        lines = ["date,category,description,amount,notes"] + [
            f"{today - timedelta(days=i % 700)},{('Food', 'Bills', 'Travel')[i % 3]},"
            f"Imported row {i},{1 + i % 500}.{i % 100:02d},note {i}"
            for i in range(count)
        ]
        started = time.perf_counter()
        response = client.post(
            "/api/v1/expenses/import",
            content=("\n".join(lines) + "\n").encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
        )
        elapsed = time.perf_counter() - started
    ok = response.status_code == 200 and response.json().get("created") == count
    return Row(
        f"CSV import, {count:,} rows",
        f"{elapsed:.2f} s",
        "—",
        "—",
        "—",
        None,
        "< 2 s",
        ok and elapsed < 2.0,
        "" if ok else f"answered {response.status_code}: {response.text[:200]}",
    )
