"""Rates rules spanning queries: which rate applies to a day, importing, fetching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import asyncpg
import httpx

from api.currencies import queries
from api.currencies.ecb import MAX_CSV_BYTES, RatesFileError, read_rates

FETCH_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class AppliedRate:
    """``rate`` base units per 1 unit of ``currency``, from the rates of ``day``."""

    currency: str
    base: str
    day: date
    rate: Decimal


@dataclass(frozen=True, slots=True)
class ImportReport:
    rates: int
    first_day: date
    last_day: date
    currencies: int
    inserted: int
    updated: int
    unchanged: int
    converted_expenses: int

    def summary(self) -> str:
        return (
            f"{self.rates} rate(s) of {self.currencies} currencies from {self.first_day} "
            f"to {self.last_day}: {self.inserted} new, {self.updated} changed, "
            f"{self.unchanged} unchanged; {self.converted_expenses} waiting expense(s) converted"
        )


async def rate_for(
    conn: asyncpg.Connection, base: str, currency: str, day: date
) -> AppliedRate | None:
    """The rate for an expense in ``currency`` on ``day``, in ``base`` units, or ``None``.

    The rule (the newest publication in the 7 days up to ``day``, both currencies
    of a cross rate from the same one) is the database's ``rate_on`` (m0015): the
    conversion trigger applies the very same function to every expense.
    """
    found = await queries.rate_on(conn, base, currency, day)
    if found is None:
        return None
    published, rate = found
    return AppliedRate(currency, base, published, rate)


async def import_rates(conn: asyncpg.Connection, data: bytes) -> ImportReport:
    """Parse an ECB file and store its rates in one transaction (idempotent).

    Raises :class:`RatesFileError` before anything is written if the file is bad.
    """
    rates = read_rates(data)
    async with conn.transaction():
        stored = await queries.upsert(conn, rates)
        converted = await convert_waiting_expenses(conn)
    return ImportReport(
        rates=len(rates),
        first_day=rates[0].day,
        last_day=rates[-1].day,
        currencies=len({rate.currency for rate in rates}),
        inserted=stored.inserted,
        updated=stored.updated,
        unchanged=stored.unchanged,
        converted_expenses=converted,
    )


async def convert_waiting_expenses(conn: asyncpg.Connection) -> int:
    """Convert every expense that waited for a rate and now has one (all users)."""
    return await queries.convert_waiting(conn)


async def change_base_currency(conn: asyncpg.Connection, user_id: int, new: str) -> int:
    """Make ``new`` the user's base currency and convert every expense into it, in
    one transaction; the number of expenses converted (0 when nothing changed)."""
    async with conn.transaction():
        old = await conn.fetchval("SELECT currency FROM app_user WHERE id = $1 FOR UPDATE", user_id)
        if old is None or old == new:
            return 0
        await conn.execute("UPDATE app_user SET currency = $2 WHERE id = $1", user_id, new)
        return await queries.rebase(conn, user_id, old, new)


async def download(url: str, *, timeout: float = FETCH_TIMEOUT_SECONDS) -> bytes:  # noqa: ASYNC109
    """The file at ``url``, refused beyond ``MAX_CSV_BYTES`` without reading the rest."""
    async with (
        httpx.AsyncClient(timeout=timeout, follow_redirects=True) as client,
        # Identity: a compressed body would be inflated before the size check sees it.
        client.stream("GET", url, headers={"Accept-Encoding": "identity"}) as response,
    ):
        if response.status_code != 200:
            raise RatesFileError(f"{url} answered HTTP {response.status_code}")
        received = bytearray()
        async for chunk in response.aiter_bytes():
            received += chunk
            if len(received) > MAX_CSV_BYTES:
                raise RatesFileError(f"{url} sent more than {MAX_CSV_BYTES} bytes")
    return bytes(received)
