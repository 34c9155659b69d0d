"""SQL for recurring expenses: the plans, and what upcoming/suggestions read."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from api.preconditions import IfMatch
from api.updates import versioned_update
from wire.recurring import Recurring, RecurringCreate

COLUMNS = (
    'id, description, amount, currency, category_id, tags, every, "interval", next_due, ends, '
    "amount_tolerance, day_tolerance, version"
)
_LIST = f"SELECT {COLUMNS} FROM recurring WHERE user_id = $1 ORDER BY next_due, id"
_GET = f"SELECT {COLUMNS} FROM recurring WHERE id = $1 AND user_id = $2"
_INSERT = f"""
INSERT INTO recurring (user_id, description, amount, currency, category_id, tags, every,
                       "interval", anchor, next_due, ends, amount_tolerance, day_tolerance,
                       version)
SELECT $1, $2, $3, coalesce($4, u.currency), $5, $6, $7, $8, $9, $9, $10, $11, $12, 1
FROM app_user u
WHERE u.id = $1 AND EXISTS (SELECT 1 FROM category WHERE id = $5 AND user_id = $1)
RETURNING {COLUMNS}
"""
_DELETE = "DELETE FROM recurring WHERE id = $1 AND user_id = $2"
_MOVE_CATEGORY = """
UPDATE recurring SET category_id = $3, version = version + 1
WHERE user_id = $1 AND category_id = $2
"""
# Every plan with the paid occurrences that upcoming needs: those from the earlier of
# next_due and `since` on (paid early, or paid out of order after next_due).
PLANS_WITH_PAID = """
SELECT r.id, r.description, r.amount, r.currency, r.category_id, r.anchor, r.every,
       r."interval", r.ends, r.next_due, r.amount_tolerance, r.day_tolerance,
       r.previous_amount,
       coalesce(array_agg(e.recurring_due ORDER BY e.recurring_due)
                FILTER (WHERE e.id IS NOT NULL), '{}') AS paid_dues,
       coalesce(array_agg(e.id ORDER BY e.recurring_due)
                FILTER (WHERE e.id IS NOT NULL), '{}') AS paid_ids,
       coalesce(array_agg(e.amount ORDER BY e.recurring_due)
                FILTER (WHERE e.id IS NOT NULL), '{}') AS paid_amounts
FROM recurring r
LEFT JOIN expense e ON e.recurring_id = r.id AND e.recurring_due >= least(r.next_due, $2)
                    AND e.deleted_at IS NULL  -- a payment in the trash pays nothing
WHERE r.user_id = $1
GROUP BY r.id
ORDER BY r.id
"""


class UnknownCategory(LookupError):
    """The plan names a category that is not the user's."""


def to_recurring(row: asyncpg.Record) -> Recurring:
    values = dict(row)
    values["amount_tolerance"] = float(values["amount_tolerance"])
    values["tags"] = list(values["tags"] or [])
    return Recurring(**values)


async def list_plans(conn: asyncpg.Connection, user_id: int) -> list[Recurring]:
    return [to_recurring(row) for row in await conn.fetch(_LIST, user_id)]


async def get(conn: asyncpg.Connection, user_id: int, recurring_id: int) -> Recurring | None:
    row = await conn.fetchrow(_GET, recurring_id, user_id)
    return to_recurring(row) if row else None


async def category_owned(conn: asyncpg.Connection, user_id: int, category_id: int) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT true FROM category WHERE id = $1 AND user_id = $2", category_id, user_id
        )
    )


async def insert(conn: asyncpg.Connection, user_id: int, data: RecurringCreate) -> Recurring:
    try:
        row = await conn.fetchrow(
            _INSERT,
            user_id,
            data.description,
            data.amount,
            data.currency,
            data.category_id,
            data.tags,
            data.every,
            data.interval,
            data.next_due,
            data.ends,
            data.amount_tolerance,
            data.day_tolerance,
        )
    except asyncpg.ForeignKeyViolationError:  # the category went while this waited
        raise UnknownCategory from None
    if row is None:
        raise UnknownCategory
    return to_recurring(row)


async def update(
    conn: asyncpg.Connection,
    user_id: int,
    recurring_id: int,
    changes: dict[str, Any],
    expected: IfMatch,
) -> Recurring | None:
    """Apply ``changes``; a new ``next_due`` is also the new anchor of the schedule, and
    a new ``amount`` forgets the one a payment replaced.
    ``None`` when missing or at another version; CheckViolationError when ``ends``
    would fall before the schedule's start."""
    changes = dict(changes)
    if "next_due" in changes:
        changes["anchor"] = changes["next_due"]
    if "amount" in changes:
        changes["previous_amount"] = None  # the user set it: no change to point out
    sql, args = versioned_update("recurring", changes, expected)
    row = await conn.fetchrow(f"{sql} RETURNING {COLUMNS}", recurring_id, user_id, *args)
    return to_recurring(row) if row else None


async def delete(conn: asyncpg.Connection, user_id: int, recurring_id: int) -> bool:
    """The plan goes; the expenses that paid it stay, unlinked."""
    return await conn.execute(_DELETE, recurring_id, user_id) == "DELETE 1"


async def move_category(
    conn: asyncpg.Connection, user_id: int, from_category: int, to_category: int
) -> None:
    """With the expenses of a deleted category, its recurring expenses move too."""
    await conn.execute(_MOVE_CATEGORY, user_id, from_category, to_category)


async def plans_with_paid(
    conn: asyncpg.Connection, user_id: int, since: date
) -> list[asyncpg.Record]:
    return await conn.fetch(PLANS_WITH_PAID, user_id, since)
