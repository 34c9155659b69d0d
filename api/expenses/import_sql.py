"""Writing an import: set-based SQL over arrays of the file's columns.

A 10,000-row file is a handful of statements, not 10,000 round trips: the rows
travel as one array per column (``unnest``), duplicates are found by an anti-join
against the user's expenses, and one INSERT fires the statement-level rollup
triggers once. Raw asyncpg on Piccolo's pool: prepared once per connection.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from api.categories.service import PALETTE
from api.database import pool
from api.expenses.import_csv import ImportRow
from api.expenses.import_groups import SplitRow
from api.expenses.import_splits import import_splits
from api.recurring.matching import match_created_now
from api.tags.queries import prune_orphans as prune_tags

# Serialises imports of one user, so two uploads of the same file cannot both
# decide that its rows are new.
# A 50,000-row insert with its rollup upserts takes about a second here; far more
# than a request's statement bound (api.database), so it names its own.
BULK_STATEMENT_SECONDS = 120.0

# One import per user at a time, across every API process: a second one is a 409.
LOCK_SQL = "SELECT pg_try_advisory_xact_lock(hashtextextended('expense-import:' || $1::bigint, 0))"
# Holds the user's categories until commit: one deleted between matching the
# rows to it and inserting them would otherwise fail the INSERT with a 500.
KEEP_CATEGORIES_SQL = "SELECT 1 FROM category WHERE user_id = $1 FOR KEY SHARE"

# Category names of the file (first spelling of each, in file order) that the user
# does not have yet, compared case-insensitively as the unique index does.
NEW_CATEGORIES_SQL = """
SELECT wanted.name, (SELECT count(*) FROM category WHERE user_id = $1) AS existing
FROM (
    SELECT DISTINCT ON (lower(name)) name, position
    FROM unnest($2::text[]) WITH ORDINALITY AS t(name, position)
    ORDER BY lower(name), position
) AS wanted
WHERE NOT EXISTS (
    SELECT 1 FROM category c WHERE c.user_id = $1 AND lower(c.name) = lower(wanted.name)
)
ORDER BY wanted.position
"""

CREATE_CATEGORIES_SQL = """
INSERT INTO category (user_id, name, color, created_at)
SELECT $1, name, color, now() FROM unnest($2::text[], $3::text[]) AS t(name, color)
ON CONFLICT (user_id, lower(name)) DO NOTHING
"""

_ROWS = """
WITH owner AS (SELECT currency AS base FROM app_user WHERE id = $1),
incoming AS (
    -- Dates travel as text: asyncpg would send 0001-01-01 and 9999-12-31 as
    -- -infinity and infinity.
    SELECT r.n, r.day::date AS spent_on, r.category, r.description, r.amount, r.notes,
           coalesce(r.currency, owner.base) AS currency,
           -- A charged amount means something only in another currency, and only
           -- when it is not what the day's rate gives anyway (an export writes the
           -- converted amounts too): then the expense is settled.
           CASE WHEN coalesce(r.currency, owner.base) <> owner.base
                 AND r.base_amount IS DISTINCT FROM convert_amount(r.amount, (
                     SELECT rate FROM rate_on(owner.base, r.currency, r.day::date)))
                THEN r.base_amount END AS base_amount,
           r.tags, c.id AS category_id
    FROM owner, unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[],
                       $7::varchar[], $8::numeric[], $9::text[])
         WITH ORDINALITY AS r(day, category, description, amount, notes, currency,
                              base_amount, tags, n)
    LEFT JOIN category c ON c.user_id = $1 AND lower(c.name) = lower(r.category)
), fresh AS (
    -- Identical to an expense stored before this import (date, category,
    -- description, amount, currency) is a duplicate; repeats inside the file are
    -- not, since every sub-statement sees the table as it was before the INSERT.
    -- Ids are drawn here, so the tags below can name the rows they belong to.
    SELECT i.*, nextval(pg_get_serial_sequence('expense', 'id')) AS id FROM incoming i
    WHERE i.category_id IS NULL OR NOT EXISTS (
        SELECT 1 FROM expense e
        WHERE e.user_id = $1 AND e.deleted_at IS NULL AND e.spent_on = i.spent_on
          AND e.category_id = i.category_id AND e.amount = i.amount
          AND e.description = i.description AND e.currency = i.currency
    )
)
"""

COUNT_FRESH_SQL = (
    _ROWS.replace(
        "SELECT i.*, nextval(pg_get_serial_sequence('expense', 'id')) AS id", "SELECT i.*"
    )
    + "SELECT count(*) FROM fresh"
)

INSERT_FRESH_SQL = (
    _ROWS
    + """, inserted AS (
    INSERT INTO expense (id, user_id, category_id, amount, spent_on, description, notes,
                         currency, base_amount, settled, created_at, updated_at, version)
    SELECT id, $1, category_id, amount, spent_on, description, notes, currency, base_amount,
           base_amount IS NOT NULL, now(), now(), 1
    FROM fresh
    RETURNING 1
), tagged AS (
    INSERT INTO expense_tag (expense_id, tag_id)
    SELECT DISTINCT f.id, t.id
    FROM fresh f
    CROSS JOIN LATERAL unnest(string_to_array(f.tags, ',')) AS wanted(name)
    JOIN tag t ON t.user_id = $1 AND lower(t.name) = lower(wanted.name)
    WHERE f.tags <> ''
)
SELECT count(*) FROM inserted
"""
)

# The file's tags the user does not have yet, in the first spelling of the file.
CREATE_TAGS_SQL = """
INSERT INTO tag (user_id, name)
SELECT DISTINCT ON (lower(name)) $1, name
FROM unnest($2::text[]) WITH ORDINALITY AS t(name, position)
ORDER BY lower(name), position
ON CONFLICT (user_id, lower(name)) DO NOTHING
"""


@dataclass(frozen=True, slots=True)
class Outcome:
    created: int
    duplicates: int
    new_categories: list[str]


def _columns(rows: list[ImportRow]) -> tuple[list[object], ...]:
    return (
        [row.spent_on.isoformat() for row in rows],
        [row.category for row in rows],
        [row.description for row in rows],
        [row.amount for row in rows],
        [row.notes for row in rows],
        [row.currency for row in rows],
        [row.base_amount for row in rows],
        [",".join(row.tags) for row in rows],
    )


async def run_import(
    user_id: int, rows: list[ImportRow], splits: list[SplitRow], *, dry_run: bool
) -> Outcome | None:
    """Create the new categories and expenses in one transaction (or just count them).

    ``None`` when another import of the user's is being written right now.
    """
    columns = _columns(rows)
    names = [*columns[1], *(part.category for split in splits for part in split.parts)]
    async with pool().acquire() as conn, conn.transaction():
        if not await conn.fetchval(LOCK_SQL, user_id):
            return None
        await conn.execute(KEEP_CATEGORIES_SQL, user_id)
        new_categories = await _create_categories(conn, user_id, names, dry_run=dry_run)
        if not dry_run:
            tags = [tag for row in rows for tag in row.tags]
            await conn.execute(CREATE_TAGS_SQL, user_id, tags)
        # A dry run created no categories: rows in new ones find no category_id and
        # count as fresh, exactly as they would after the real categories exist.
        sql = COUNT_FRESH_SQL if dry_run else INSERT_FRESH_SQL
        created = 0
        if rows:
            created = await conn.fetchval(sql, user_id, *columns, timeout=BULK_STATEMENT_SECONDS)
        created += await import_splits(conn, user_id, splits, dry_run=dry_run)
        if not dry_run:
            await prune_tags(conn, user_id)  # those only duplicates would have carried
            # Imported payments of recurring expenses are linked as created ones are.
            await match_created_now(conn, user_id)
    expenses = len(rows) + len(splits)
    return Outcome(created=created, duplicates=expenses - created, new_categories=new_categories)


async def _create_categories(
    conn: asyncpg.Connection, user_id: int, names: list[object], *, dry_run: bool
) -> list[str]:
    found = await conn.fetch(NEW_CATEGORIES_SQL, user_id, names)
    new = [row["name"] for row in found]
    if new and not dry_run:
        existing = found[0]["existing"]
        colors = [PALETTE[(existing + i) % len(PALETTE)] for i in range(len(new))]
        await conn.execute(CREATE_CATEGORIES_SQL, user_id, new, colors)
    return new
