"""Rates SQL: the upsert of published rates and the lookup of the rate for a day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import asyncpg

from api.currencies.ecb import PublishedRate

# A rate applies to the days after its publication for at most this long: an
# expense on a Sunday takes Friday's rate, one after a longer gap none at all.
MAX_RATE_AGE_DAYS = 7
# Rows per statement: the whole history (~200k rates) in bounded pieces.
UPSERT_BATCH = 10_000

# `xmax = 0` tells a freshly inserted row from an updated one; a row whose rate did
# not change is not touched at all (the WHERE), so it is not returned.
UPSERT_SQL = """
INSERT INTO euro_rate (currency, day, eur_rate)
SELECT * FROM unnest($1::varchar[], $2::date[], $3::numeric[])
ON CONFLICT (currency, day) DO UPDATE SET eur_rate = EXCLUDED.eur_rate
WHERE euro_rate.eur_rate IS DISTINCT FROM EXCLUDED.eur_rate
RETURNING xmax = 0 AS inserted
"""

ONE_SQL = """
SELECT day, eur_rate FROM euro_rate
WHERE currency = $1 AND day BETWEEN $2::date - $3::int AND $2::date
ORDER BY day DESC LIMIT 1
"""

# Both currencies from the same publication: the newest day that quotes both.
PAIR_SQL = """
SELECT c.day, c.eur_rate AS currency_rate, b.eur_rate AS base_rate
FROM euro_rate c JOIN euro_rate b ON b.day = c.day AND b.currency = $2
WHERE c.currency = $1 AND c.day BETWEEN $3::date - $4::int AND $3::date
ORDER BY c.day DESC LIMIT 1
"""


@dataclass(frozen=True, slots=True)
class Upserted:
    inserted: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class EuroRates:
    """Euro rates of two currencies as published on ``day``."""

    day: date
    currency_rate: Decimal
    base_rate: Decimal


async def upsert(conn: asyncpg.Connection, rates: Sequence[PublishedRate]) -> Upserted:
    """Store ``rates`` (new days added, changed rates replaced); call in a transaction."""
    inserted = updated = 0
    for start in range(0, len(rates), UPSERT_BATCH):
        batch = rates[start : start + UPSERT_BATCH]
        rows = await conn.fetch(
            UPSERT_SQL,
            [rate.currency for rate in batch],
            [rate.day for rate in batch],
            [rate.eur_rate for rate in batch],
        )
        fresh = sum(1 for row in rows if row["inserted"])
        inserted += fresh
        updated += len(rows) - fresh
    return Upserted(inserted, updated, len(rates) - inserted - updated)


async def euro_rate(
    conn: asyncpg.Connection, currency: str, day: date
) -> tuple[date, Decimal] | None:
    """The newest euro rate of ``currency`` published in the week up to ``day``."""
    row = await conn.fetchrow(ONE_SQL, currency, day, MAX_RATE_AGE_DAYS)
    return None if row is None else (row["day"], row["eur_rate"])


async def euro_rates(
    conn: asyncpg.Connection, currency: str, base: str, day: date
) -> EuroRates | None:
    """The newest day in the week up to ``day`` that quotes both currencies."""
    row = await conn.fetchrow(PAIR_SQL, currency, base, day, MAX_RATE_AGE_DAYS)
    return None if row is None else EuroRates(row["day"], row["currency_rate"], row["base_rate"])


async def base_currency(conn: asyncpg.Connection, user_id: int) -> str | None:
    """The user's profile currency (the base of every total), ``None`` if gone."""
    return await conn.fetchval("SELECT currency FROM app_user WHERE id = $1", user_id)
