"""``expense-api rates import FILE`` and ``expense-api rates fetch``."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import asyncpg
import httpx

from api.currencies import service
from api.currencies.ecb import MAX_CSV_BYTES, RatesFileError
from api.settings import Settings


def import_file(settings: Settings, path: Path) -> int:
    """Store the rates of an ECB file on disk; 1 with a message if it is unusable."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_CSV_BYTES + 1)
    except OSError as error:
        print(f"expense-api: cannot read {path}: {error.strerror}", file=sys.stderr)
        return 1
    return _store(settings, data, str(path))


def fetch(settings: Settings) -> int:
    """Download the rates from ``RATES_URL`` and store them."""
    try:
        data = asyncio.run(service.download(settings.rates_url))
    except (httpx.HTTPError, RatesFileError) as error:
        print(f"expense-api: fetching {settings.rates_url} failed: {error}", file=sys.stderr)
        return 1
    return _store(settings, data, settings.rates_url)


def _store(settings: Settings, data: bytes, source: str) -> int:
    from api import database

    async def run() -> service.ImportReport:
        with database.database_url(settings) as url:
            conn = await asyncpg.connect(url, timeout=settings.db_timeout_seconds)
            try:
                return await service.import_rates(conn, data)
            finally:
                await conn.close()

    try:
        report = asyncio.run(run())
    except RatesFileError as error:
        print(f"expense-api: {source}: {error}; nothing was stored", file=sys.stderr)
        return 1
    print(f"expense-api: {source}: {report.summary()}")
    return 0
