"""Tag operations for random histories (with tests/api/rollup_history.py's expense ones).

Tags are added (as an import or a rule does), set (an expense PATCH: its links
deleted and re-added), removed, renamed (onto another tag: a merge; onto another
case of itself: a new spelling) and deleted, each through the API's own SQL
(``api.tags.queries``). Names come from a small pool, so merges happen often.
"""

from __future__ import annotations

import asyncpg
from hypothesis import strategies as st

from api.tags import queries
from tests.api.rollup_history import apply, picks
from tests.api.rollup_history import operations as expense_operations

NAMES = ("Trip", "work", "Food", "gift", "Car")
names = st.sampled_from(NAMES)
spellings = st.builds(lambda name, upper: name.upper() if upper else name, names, st.booleans())
tag_operations = st.one_of(
    st.tuples(st.just("tag"), picks, names),
    st.tuples(st.just("set_tags"), picks, st.lists(names, max_size=3, unique=True)),
    st.tuples(st.just("untag"), picks),
    st.tuples(st.just("rename"), names, spellings),
    st.tuples(st.just("delete_tag"), names),
)
TAG_KINDS = frozenset({"tag", "set_tags", "untag", "rename", "delete_tag"})
# Expense writes and tag writes interleaved in any order.
histories = st.tuples(expense_operations, st.lists(tag_operations, max_size=10)).flatmap(
    lambda parts: st.permutations(parts[0] + parts[1])
)


async def apply_any(
    conn: asyncpg.Connection, user_id: int, category_ids: list[int], operation: tuple
) -> None:
    """One operation of ``histories``: a tag write here, an expense write there."""
    kind, *args = operation
    if kind not in TAG_KINDS:
        await apply(conn, user_id, category_ids, operation)
        return
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM expense WHERE user_id = $1", user_id)]
    chosen = sorted({ids[i % len(ids)] for i in args[0]}) if ids and kind in (
        "tag", "set_tags", "untag") else []  # fmt: skip
    if kind == "tag" and chosen:
        await queries.add_to_expenses(conn, user_id, chosen, [args[1]] * len(chosen))
    elif kind == "set_tags":
        for expense_id in chosen:
            await queries.set_tags(conn, user_id, expense_id, args[1])
    elif kind == "untag" and chosen:
        await conn.execute("DELETE FROM expense_tag WHERE expense_id = ANY($1)", chosen)
    elif kind == "rename":
        await queries.rename(conn, user_id, args[0], args[1])
    elif kind == "delete_tag":
        await queries.delete(conn, user_id, args[0])
