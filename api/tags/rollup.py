"""The tag totals from ``expense_tag_rollup`` (m0026): whole months from the rollup,
the partial months at the range's edges from the expense rows, as the category
analytics do (``api.analytics.queries.CATEGORIES_SQL``).

The answer equals ``queries._TOTALS`` (every tagged row read): an expense counts
under each of its tags with its whole base amount; a tag appears when some live
expense in the range carries it. The rollup's rows are deltas, only ever summed.
"""

from __future__ import annotations

from datetime import date

import asyncpg

from api.analytics.periods import split_range
from api.tags.queries import TagTotalRow

# An absent part has NULL bounds and so matches nothing. The edges' rows come from
# the day index, their tags from the link's unique index (expense_id, tag_id).
TOTALS_SQL = """
WITH parts AS (
    SELECT tag_id, total, count
    FROM expense_tag_rollup
    WHERE user_id = $1 AND month BETWEEN $2 AND $3
    UNION ALL
    SELECT l.tag_id, coalesce(sum(e.base_amount), 0), count(*)
    FROM expense e JOIN expense_tag l ON l.expense_id = e.id
    WHERE e.user_id = $1 AND e.deleted_at IS NULL
      AND (e.spent_on BETWEEN $4 AND $5 OR e.spent_on BETWEEN $6 AND $7)
    GROUP BY l.tag_id
), per_tag AS (
    SELECT tag_id, sum(total) AS total, sum(count)::bigint AS count
    FROM parts
    GROUP BY tag_id
    HAVING sum(count) > 0
)
SELECT t.name, p.total, p.count
FROM per_tag p JOIN tag t ON t.id = p.tag_id
ORDER BY lower(t.name), t.id
"""


async def totals(
    conn: asyncpg.Connection, user_id: int, first: date | None, last: date | None
) -> list[TagTotalRow]:
    """Net total and count per tag between ``first`` and ``last`` (None: unbounded)."""
    # date.min and date.max travel as -infinity and infinity: no bound.
    split = split_range(first or date.min, last or date.max)
    rows = await conn.fetch(TOTALS_SQL, user_id, *split.months, *split.head, *split.tail)
    return [TagTotalRow(row["name"], row["total"], row["count"]) for row in rows]
