"""SQL for tags: an expense's tags, the user's list, rename/merge, delete, totals.

Every write takes the user's tag lock first: a tag emptied and deleted by one
request must not be linked at the same moment by another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import asyncpg

LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtextextended('tags:' || $1::bigint, 0))"

# The tags of one expense (or of many, in a list) by name, as EXPENSE_COLUMNS reads them.
EXPENSE_TAGS_SQL = (
    "coalesce((SELECT array_agg(t.name ORDER BY lower(t.name), t.id)"
    " FROM expense_tag et JOIN tag t ON t.id = et.tag_id WHERE et.expense_id = e.id),"
    " '{}'::text[])"
)

# One condition per wanted tag: every named tag must be on the expense (AND).
HAS_TAG_SQL = (
    "EXISTS (SELECT 1 FROM expense_tag et JOIN tag t ON t.id = et.tag_id"
    " WHERE et.expense_id = {a}.id AND lower(t.name) = lower(${n}))"
)

_CREATE = """
INSERT INTO tag (user_id, name) SELECT $1, name FROM unnest($2::text[]) AS name
ON CONFLICT (user_id, lower(name)) DO NOTHING
"""
_LINK = """
INSERT INTO expense_tag (expense_id, tag_id)
SELECT $2, t.id FROM tag t
WHERE t.user_id = $1 AND lower(t.name) IN (SELECT lower(n) FROM unnest($3::text[]) AS n)
"""
_PRUNE = """
DELETE FROM tag t WHERE t.user_id = $1
AND NOT EXISTS (SELECT 1 FROM expense_tag et WHERE et.tag_id = t.id)
"""
_LIST = """
SELECT t.name, count(e.id) FILTER (WHERE e.deleted_at IS NULL) AS count
FROM tag t
JOIN expense_tag et ON et.tag_id = t.id
JOIN expense e ON e.id = et.expense_id
WHERE t.user_id = $1 {extra}
GROUP BY t.id, t.name
ORDER BY lower(t.name), t.id
"""
_FIND = "SELECT id, name FROM tag WHERE user_id = $1 AND lower(name) = lower($2)"
# In the base currency, over the converted expenses; _UNCONVERTED counts the rest.
_TOTALS = """
SELECT t.name, coalesce(sum(e.base_amount), 0) AS total, count(*) AS count
FROM tag t
JOIN expense_tag et ON et.tag_id = t.id
JOIN expense e ON e.id = et.expense_id
WHERE t.user_id = $1 AND e.deleted_at IS NULL
  AND ($2::date IS NULL OR e.spent_on >= $2) AND ($3::date IS NULL OR e.spent_on <= $3)
GROUP BY t.id, t.name
ORDER BY lower(t.name), t.id
"""
_UNCONVERTED = """
SELECT count(*) FROM expense e
WHERE e.user_id = $1 AND e.deleted_at IS NULL AND e.base_amount IS NULL
  AND ($2::date IS NULL OR e.spent_on >= $2) AND ($3::date IS NULL OR e.spent_on <= $3)
  AND EXISTS (SELECT 1 FROM expense_tag et WHERE et.expense_id = e.id)
"""


@dataclass(frozen=True, slots=True)
class TagRow:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class TagTotalRow:
    name: str
    total: Decimal
    count: int


async def set_tags(
    conn: asyncpg.Connection, user_id: int, expense_id: int, names: list[str]
) -> None:
    """Make ``names`` (already checked and collapsed) the expense's tags; in a transaction."""
    await conn.execute(LOCK_SQL, user_id)
    await conn.execute(_CREATE, user_id, names)
    await conn.execute("DELETE FROM expense_tag WHERE expense_id = $1", expense_id)
    await conn.execute(_LINK, user_id, expense_id, names)
    await conn.execute(_PRUNE, user_id)


async def _touch_tagged(conn: asyncpg.Connection, tag_id: int) -> None:
    """The expenses carrying the tag changed (their ``tags`` field): a new version,
    so a client's If-Match and cached copy of them are stale, as after a PATCH."""
    await conn.execute(
        "UPDATE expense SET version = version + 1, updated_at = now()"
        " WHERE id IN (SELECT expense_id FROM expense_tag WHERE tag_id = $1)",
        tag_id,
    )


async def list_tags(conn: asyncpg.Connection, user_id: int) -> list[TagRow]:
    rows = await conn.fetch(_LIST.format(extra=""), user_id)
    return [TagRow(row["name"], row["count"]) for row in rows]


async def get(conn: asyncpg.Connection, user_id: int, name: str) -> TagRow | None:
    rows = await conn.fetch(_LIST.format(extra="AND lower(t.name) = lower($2)"), user_id, name)
    return TagRow(rows[0]["name"], rows[0]["count"]) if rows else None


async def rename(conn: asyncpg.Connection, user_id: int, old: str, new: str) -> TagRow | None:
    """Rename ``old`` to ``new``; onto another existing tag it merges, keeping that
    tag's spelling. ``None`` when the user has no tag ``old``. In a transaction."""
    await conn.execute(LOCK_SQL, user_id)
    await conn.execute(_PRUNE, user_id)  # purged expenses can leave a tag on nothing
    source = await conn.fetchrow(_FIND, user_id, old)
    if source is None:
        return None
    await _touch_tagged(conn, source["id"])
    target = await conn.fetchrow(_FIND, user_id, new)
    if target is None or target["id"] == source["id"]:
        # A new name, or another case of the same: the spelling changes.
        await conn.execute("UPDATE tag SET name = $2 WHERE id = $1", source["id"], new)
        return await get(conn, user_id, new)
    await conn.execute(
        "INSERT INTO expense_tag (expense_id, tag_id) SELECT expense_id, $2 FROM expense_tag"
        " WHERE tag_id = $1 ON CONFLICT (expense_id, tag_id) DO NOTHING",
        source["id"],
        target["id"],
    )
    await conn.execute("DELETE FROM tag WHERE id = $1", source["id"])
    return await get(conn, user_id, new)


async def delete(conn: asyncpg.Connection, user_id: int, name: str) -> bool:
    """Remove the tag from every expense; ``False`` when the user has no such tag."""
    await conn.execute(LOCK_SQL, user_id)
    await conn.execute(_PRUNE, user_id)  # purged expenses can leave a tag on nothing
    found = await conn.fetchrow(_FIND, user_id, name)
    if found is not None:
        await _touch_tagged(conn, found["id"])
    status = await conn.execute(
        "DELETE FROM tag WHERE user_id = $1 AND lower(name) = lower($2)", user_id, name
    )
    return status == "DELETE 1"


async def prune_orphans(conn: asyncpg.Connection, user_id: int) -> None:
    """Delete the user's tags that no expense carries (a tag lives only while used)."""
    await conn.execute(_PRUNE, user_id)


async def totals(
    conn: asyncpg.Connection, user_id: int, first: date | None, last: date | None
) -> list[TagTotalRow]:
    rows = await conn.fetch(_TOTALS, user_id, first, last)
    return [TagTotalRow(row["name"], row["total"], row["count"]) for row in rows]


async def unconverted(
    conn: asyncpg.Connection, user_id: int, first: date | None, last: date | None
) -> int:
    """Tagged expenses in the range left out of the totals for want of a rate."""
    return await conn.fetchval(_UNCONVERTED, user_id, first, last)


async def add_to_expenses(
    conn: asyncpg.Connection, user_id: int, expense_ids: list[int], names: list[str]
) -> None:
    """Add tag ``names[i]`` to expense ``expense_ids[i]`` (pairs, set-based); in a transaction.

    Names are already checked (``check_tags``); a tag the user has in another case is reused.
    """
    if not expense_ids:
        return
    await conn.execute(LOCK_SQL, user_id)
    await conn.execute(
        "INSERT INTO tag (user_id, name) SELECT DISTINCT ON (lower(name)) $1, name"
        " FROM unnest($2::text[]) AS name ORDER BY lower(name), name"
        " ON CONFLICT (user_id, lower(name)) DO NOTHING",
        user_id,
        names,
    )
    await conn.execute(
        "INSERT INTO expense_tag (expense_id, tag_id) SELECT p.expense_id, t.id"
        " FROM unnest($2::bigint[], $3::text[]) AS p(expense_id, name)"
        " JOIN tag t ON t.user_id = $1 AND lower(t.name) = lower(p.name)"
        " ON CONFLICT (expense_id, tag_id) DO NOTHING",
        user_id,
        expense_ids,
        names,
    )
