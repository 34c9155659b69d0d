"""The orders the expense list (and the trash) can be read in, as keyset SQL.

Each sort names its SQL key, how the last row's key goes into a cursor, and how it
comes back out; ties are broken by id in the same direction. Every key but the
category name has a partial index ``(user_id, key, id)`` (m0002, m0007); the
category name is served by :func:`by_category_sql` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from wire.expenses import Expense


@dataclass(frozen=True, slots=True)
class Sort:
    sql: str
    key: Callable[[Any], str]
    parse: Callable[[str], object]
    sql_type: str  # of the key's cursor value, when it is passed through an InitPlan


_ISO = datetime.fromisoformat
SORTS: dict[str, Sort] = {
    "spent_on": Sort("e.spent_on", lambda e: e.spent_on.isoformat(), date.fromisoformat, "date"),
    "amount": Sort("e.amount", lambda e: str(e.amount), Decimal, "numeric"),
    "description": Sort("e.description", lambda e: e.description, str, "text"),
    "category": Sort("c.name", lambda e: e.category, str, "text"),
    "created_at": Sort("e.created_at", lambda e: e.created_at.isoformat(), _ISO, "timestamptz"),
    # The trash only: most recently deleted first.
    "deleted_at": Sort("e.deleted_at", lambda e: e.deleted_at.isoformat(), _ISO, "timestamptz"),
}


def ordering(sort: str, order: str) -> str:
    """What a cursor is made for: another sort or order cannot use it."""
    return f"{sort}:{order}"


def keyset(sort: str, order: str, first_arg: int, *, opaque: bool = False) -> tuple[str, str]:
    """``(after-condition, ORDER BY)`` for the sort; the condition takes two arguments,
    through an InitPlan when ``opaque`` (see ``reads.OPAQUE_OWNER``)."""
    key, key_type = SORTS[sort].sql, SORTS[sort].sql_type
    direction, compare = ("DESC", "<") if order == "desc" else ("ASC", ">")
    position = f"${first_arg}, ${first_arg + 1}"
    if opaque:
        position = f"SELECT ${first_arg}::{key_type}, ${first_arg + 1}::bigint"
    after = f"({key}, e.id) {compare} ({position})"
    return after, f"{key} {direction}, e.id {direction}"


def position(sort: str, last: Expense) -> list[str | int]:
    return [SORTS[sort].key(last), last.id]


def parse_position(sort: str, raw: list[str | int]) -> tuple[object, int]:
    """The cursor's key and id; ``ValueError`` when they do not read back."""
    if len(raw) != 2 or not isinstance(raw[0], str) or not isinstance(raw[1], int):
        raise ValueError("malformed position")
    return SORTS[sort].parse(raw[0]), raw[1]


def by_category_sql(columns: str, where: str, order: str, first_arg: int, after: bool) -> str:
    """A page in category-name order, read category by category.

    The name lives in ``category``, so no index of ``expense`` orders by it: the
    plain query sorted every expense of the user (427 ms over 100k). Here each of
    the user's categories (a few dozen) contributes at most a page of its
    expenses, newest id first, through the ``(category_id, id)`` index (m0024),
    and only those are sorted. ``(c.name, e.id)`` is the same order, as two
    categories of a user never share a name. ``where`` must not hold the owner
    (``ExpenseFilters.where(owner=False)``); ``$1`` is the owner. Arguments:
    ``first_arg``/``+1`` the cursor's name and id when ``after``, then the limit.

    Two things keep each category's read to one page of its index:

    - The owner is checked on the page, outside the per-category read. Inside, the
      planner took it as independent of the category and guessed 1 row in 200 a
      match, so a page needed the whole category: it read and sorted every expense
      of it (a deep page of the heavy user: 176-229 ms instead of 0.7 ms). A
      category's expenses are its owner's; an expense that was not would be left
      out, never shown.
    - The cursor bounds the id in the index condition: only in the cursor's own
      category does it apply, and a ``CASE`` says so in a form the index can take
      (``name < $n OR id < $m`` was a filter over every row before the cursor).
    """
    direction, compare, at_least = ("DESC", "<", "<=") if order == "desc" else ("ASC", ">", ">=")
    limit = f"${first_arg + 2}" if after else f"${first_arg}"
    name_from = f"AND name {at_least} ${first_arg}" if after else ""
    # Ids are positive: the bound of a category after the cursor's lets every id through.
    open_bound = "9223372036854775807" if order == "desc" else "0"
    position = (
        f"AND e.id {compare} (CASE WHEN c.name = ${first_arg} THEN ${first_arg + 1}::bigint "
        f"ELSE {open_bound} END)"
        if after
        else ""
    )
    return f"""
        SELECT {columns}
        FROM (SELECT id, name FROM category WHERE user_id = $1 {name_from}) AS c
        CROSS JOIN LATERAL (
            SELECT e.* FROM expense e
            WHERE e.category_id = c.id AND {where} {position}
            ORDER BY e.id {direction}
            LIMIT {limit}
        ) AS e
        WHERE e.user_id = $1
        ORDER BY c.name {direction}, e.id {direction}
        LIMIT {limit}
    """
