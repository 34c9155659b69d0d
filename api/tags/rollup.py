"""The tag totals from ``expense_tag_rollup`` (m0026): whole months from the rollup,
the partial months at the range's edges from the expense rows, as the one-tag
summary does (``api.expenses.summary_tags``).

The answer equals ``queries._TOTALS`` (every tagged row read): an expense counts
under each of its tags with its whole base amount; a tag appears when some live
expense in the range carries it. The rollup's rows are deltas, only ever summed.
"""

from __future__ import annotations

from datetime import date

import asyncpg

from api.expenses.summary import _edges
from api.tags.queries import TagTotalRow

# The edges are whole months less some days, or days added (``summary._edges``: at
# most half a month of rows at each end; a range to today takes out the days after
# it, usually none). An absent part has NULL bounds and so matches nothing. Each edge
# row probes the link's unique index for its tags (OFFSET 0: no hash of every link).
TOTALS_SQL = """
WITH parts AS (
    SELECT tag_id, total, count
    FROM expense_tag_rollup
    WHERE user_id = $1 AND ($2::date IS NULL OR month >= $2) AND ($3::date IS NULL OR month <= $3)
    UNION ALL
    SELECT l.tag_id, edge.sign * coalesce(sum(e.base_amount), 0), edge.sign * count(*)
    FROM (VALUES ($4::date, $5::date, $6::int), ($7::date, $8::date, $9::int))
         AS edge(first, last, sign)
    JOIN expense e ON e.user_id = $1 AND e.deleted_at IS NULL
                  AND e.spent_on BETWEEN edge.first AND edge.last
    CROSS JOIN LATERAL (
        SELECT tag_id FROM expense_tag l WHERE l.expense_id = e.id OFFSET 0
    ) AS l
    GROUP BY l.tag_id, edge.sign
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
    low, high, edges = _edges(first, last)
    # The rollup's months are empty when no whole month lies inside (low > high):
    # then the edges are the whole range (one month less the days around it).
    slots = [*edges, (None, None, 0), (None, None, 0)][:2]
    args = [value for edge in slots for value in edge]
    rows = await conn.fetch(TOTALS_SQL, user_id, low, high, *args)
    return [TagTotalRow(row["name"], row["total"], row["count"]) for row in rows]
