"""Writing the split expenses of an import, one by one.

Splits are few in any file (a receipt here and there), and each is a single row
with its parts in arrays, so they go through the same insert as the JSON API
(``queries.insert``) rather than a set-based statement of their own: one path
checks the categories and the split rule, and converts.
"""

from __future__ import annotations

import asyncpg

from api.expenses import queries
from api.expenses.import_groups import SplitRow
from wire.expenses import ExpenseCreate, SplitIn

# The first release's duplicate rule, on the whole expense: date, category (the
# first part's), description, amount and currency.
_DUPLICATE_SQL = """
SELECT EXISTS (
    SELECT 1 FROM expense e JOIN category c ON c.id = e.category_id
    WHERE e.user_id = $1 AND e.deleted_at IS NULL AND e.spent_on = $2
      AND lower(c.name) = lower($3) AND e.description = $4 AND e.amount = $5
      AND e.currency = coalesce($6, (SELECT currency FROM app_user WHERE id = $1))
      -- Stored before this import: now() is the transaction's start, the created_at
      -- of every row this import writes (its own rows are never its duplicates).
      AND e.created_at < now()
)
"""
_CONVERTED_SQL = "SELECT convert_amount($1, (SELECT rate FROM rate_on($2, $3, $4)))"
_CATEGORY_IDS_SQL = """
SELECT lower(name) AS key, id FROM category WHERE user_id = $1 AND lower(name) = ANY($2)
"""


async def import_splits(
    conn: asyncpg.Connection, user_id: int, splits: list[SplitRow], *, dry_run: bool
) -> int:
    """Create the split expenses that are not duplicates; how many (would be) created."""
    if not splits:
        return 0
    wanted = sorted({part.category.lower() for split in splits for part in split.parts})
    found = {row["key"]: row["id"] for row in await conn.fetch(_CATEGORY_IDS_SQL, user_id, wanted)}
    base = await conn.fetchval("SELECT currency FROM app_user WHERE id = $1", user_id)
    created = 0
    for split in splits:
        first = split.first
        duplicate = await conn.fetchval(
            _DUPLICATE_SQL,
            user_id,
            first.spent_on,
            first.category,
            first.description,
            split.amount,
            first.currency,
        )
        if duplicate:
            continue
        created += 1
        if dry_run:
            continue
        charged = split.base_amount if first.currency not in (None, base) else None
        if charged is not None and charged == await conn.fetchval(
            _CONVERTED_SQL, split.amount, base, first.currency, first.spent_on
        ):
            charged = None  # what the day's rate gives anyway: converted, not settled
        await queries.insert(
            conn,
            user_id,
            ExpenseCreate(
                amount=split.amount,
                spent_on=first.spent_on,
                description=first.description,
                notes=first.notes,
                tags=list(first.tags),
                currency=first.currency,
                base_amount=charged,
                splits=[SplitIn(found[part.category.lower()], part.amount) for part in split.parts],
            ),
        )
    return created
