"""Rates SQL: the upsert of published rates, the rate for a day, conversions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import asyncpg

from api.currencies.ecb import PublishedRate

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

# rate_on (m0015) is the one definition of which rate applies to a day.
RATE_SQL = "SELECT published, rate FROM rate_on($1, $2, $3)"


@dataclass(frozen=True, slots=True)
class Upserted:
    inserted: int
    updated: int
    unchanged: int


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


async def rate_on(
    conn: asyncpg.Connection, base: str, currency: str, day: date
) -> tuple[date, Decimal] | None:
    """The publication day and rate (base units per unit of ``currency``) for ``day``."""
    row = await conn.fetchrow(RATE_SQL, base, currency, day)
    return None if row is None else (row["published"], row["rate"])


async def base_currency(conn: asyncpg.Connection, user_id: int) -> str | None:
    """The user's profile currency (the base of every total), ``None`` if gone."""
    return await conn.fetchval("SELECT currency FROM app_user WHERE id = $1", user_id)


# 100,000 expenses take seconds (make bench measures it); a request's statement
# bound (api.database) is a few.
REBASE_TIMEOUT_SECONDS = 300.0

# Set rate to NULL and the conversion trigger (m0015) converts the row afresh.
CONVERT_WAITING_SQL = """
UPDATE expense SET rate = NULL, updated_at = now(), version = version + 1
WHERE rate IS NULL AND deleted_at IS NULL
  AND EXISTS (SELECT 1 FROM app_user u, rate_on(u.currency, expense.currency, expense.spent_on)
              WHERE u.id = expense.user_id)
"""


async def convert_waiting(conn: asyncpg.Connection) -> int:
    """Convert every live expense that waited for a rate and now has one."""
    status = await conn.execute(CONVERT_WAITING_SQL)
    return int(status.split()[-1])


# Settled amounts were what the bank charged in the old base currency: they move
# to the new one at their day's rate (old base per new base), and stay settled;
# with no such rate they go back to conversion from their own currency. Every
# other expense is converted afresh (rate NULL) by the trigger.
REBASE_SQL = """
UPDATE expense
SET base_amount = CASE WHEN settled THEN
        convert_amount(base_amount, (SELECT rate FROM rate_on($3, $2, spent_on)))
    END,
    settled = settled AND EXISTS (SELECT 1 FROM rate_on($3, $2, spent_on)),
    rate = NULL, updated_at = now(), version = version + 1
WHERE user_id = $1
"""


async def rebase(conn: asyncpg.Connection, user_id: int, old: str, new: str) -> int:
    """Convert the user's expenses (the trash too) into ``new``; call after the profile
    says ``new``, in the same transaction. The number of expenses converted."""
    # Every expense of the account in one statement: far beyond a request's bound.
    status = await conn.execute(REBASE_SQL, user_id, old, new, timeout=REBASE_TIMEOUT_SECONDS)
    return int(status.split()[-1])
