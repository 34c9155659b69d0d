"""Rates rules spanning queries: which rate applies to a day, importing, fetching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import asyncpg
import httpx

from api.currencies import queries
from api.currencies.arithmetic import EUR, EUR_RATE, cross_rate
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

    The rates used are the newest published on or before ``day`` and at most
    ``MAX_RATE_AGE_DAYS`` older; a cross rate takes both currencies from the same
    publication. The euro needs no publication (it is 1), and neither does a
    currency against itself: those answer rate 1 dated ``day`` itself.
    """
    if currency == base:
        return AppliedRate(currency, base, day, Decimal(1))
    if EUR in (currency, base):
        other = base if currency == EUR else currency
        found = await queries.euro_rate(conn, other, day)
        if found is None:
            return None
        published, other_rate = found
        base_rate, currency_rate = (
            (other_rate, EUR_RATE) if currency == EUR else (EUR_RATE, other_rate)
        )
        return AppliedRate(currency, base, published, cross_rate(base_rate, currency_rate))
    pair = await queries.euro_rates(conn, currency, base, day)
    if pair is None:
        return None
    return AppliedRate(currency, base, pair.day, cross_rate(pair.base_rate, pair.currency_rate))


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
    """Convert every expense still waiting for a rate; return how many were converted.

    A HOOK, returning 0 for now: expenses have no currency yet (issue 12 adds
    ``currency``, ``base_amount`` and ``rate`` together with the rollup redesign).
    Then this sets ``rate``/``base_amount`` of the unsettled expenses whose
    ``base_amount`` is null and for which :func:`rate_for` now finds a rate, in
    the import's transaction, via ``api.currencies.arithmetic.convert``.
    """
    return 0


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
