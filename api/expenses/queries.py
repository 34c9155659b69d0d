"""SQL for the expense hot paths, run straight on the asyncpg pool behind Piccolo.

These endpoints are the busiest of the API; Piccolo's query builder cost ~35 % of
their throughput in measurements, so they are written as SQL (prepared and cached
per connection by asyncpg) against the same engine, pool and tables.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import asyncpg
import msgspec

from api.preconditions import IfMatch
from api.recurring.matching import MIGHT_PAY_SQL
from api.tags import queries as tags
from api.updates import versioned_update
from wire.expenses import Expense, ExpenseCreate, Split, TrashedExpense

# A split's parts as JSON, decoded by to_expense; NULL (most rows) costs nothing.
SPLITS_SQL = """CASE WHEN e.split_amounts IS NULL THEN NULL ELSE (
    SELECT json_agg(json_build_object('category_id', p.category_id, 'amount', p.amount::text)
                    ORDER BY p.ord)
    FROM unnest(e.split_category_ids, e.split_amounts)
         WITH ORDINALITY AS p(category_id, amount, ord)
) END"""

# Where each field of a wire struct comes from, in the struct's own field order, so
# a row unpacks straight into the struct (see to_expense).
_FIELD_SQL = {
    "category": "c.name",
    "tags": tags.EXPENSE_TAGS_SQL,
    "rate": "trim_scale(e.rate)",
    "splits": SPLITS_SQL,
}
_SPLITS = msgspec.json.Decoder(list[Split])


def _columns(struct: type[Expense]) -> str:
    return ", ".join(
        f"{_FIELD_SQL.get(name, 'e.' + name)} AS {name}" for name in struct.__struct_fields__
    )


EXPENSE_COLUMNS = _columns(Expense)
TRASHED_COLUMNS = _columns(TrashedExpense)
LIVE = "e.deleted_at IS NULL"

# A refund's target is locked (FOR SHARE) while it is checked, so it cannot turn
# negative, move to the trash or vanish before this write commits; the checks are
# returned as columns, so a refused write says which field was wrong.
REFUND_TARGET = """
    SELECT t.id FROM expense t
    WHERE t.id = {target} AND t.user_id = {user} AND t.amount > 0 AND t.deleted_at IS NULL
    {not_itself}
    FOR SHARE
"""

# Every category a split's parts name must be the user's; they are key-share locked
# like a foreign key would lock them, so a concurrent delete waits (m0015's guard).
PARTS_OWNED = """
    (SELECT count(*) FROM (
        SELECT id FROM category WHERE user_id = {user} AND id = ANY({parts}) FOR KEY SHARE
     ) AS owned) = cardinality(ARRAY(SELECT DISTINCT unnest({parts})))
"""

_INSERT = f"""
WITH target AS ({REFUND_TARGET.format(target="$7", user="$1", not_itself="")}),
checks AS (
    SELECT EXISTS (SELECT 1 FROM category WHERE id = $2 AND user_id = $1) AS category_ok,
           ($10::bigint[] IS NULL OR {PARTS_OWNED.format(user="$1", parts="$10")}) AS parts_ok,
           ($7::bigint IS NULL OR EXISTS (SELECT 1 FROM target)) AS refund_ok
), e AS (
    INSERT INTO expense (user_id, category_id, amount, spent_on, description, notes,
                         created_at, updated_at, version, refund_of, currency, base_amount,
                         settled, split_category_ids, split_amounts)
    SELECT $1, $2, $3, $4, $5, $6, now(), now(), 1, $7, $8, $9, $9::numeric IS NOT NULL,
           $10, $11
    FROM checks WHERE category_ok AND parts_ok AND refund_ok
    RETURNING *
)
SELECT checks.category_ok, checks.parts_ok, checks.refund_ok, {MIGHT_PAY_SQL} AS might_pay,
       {EXPENSE_COLUMNS}
FROM checks LEFT JOIN (e JOIN category c ON c.id = e.category_id) ON true
"""

_REFUND_TARGET_OK = (
    "SELECT true FROM ("
    + REFUND_TARGET.format(target="$1", user="$2", not_itself="AND t.id <> $3")
    + ") AS target"
)

_GET = f"""
SELECT {EXPENSE_COLUMNS} FROM expense e JOIN category c ON c.id = e.category_id
WHERE e.id = $1 AND e.user_id = $2 AND {LIVE}
"""

_TRASH = (
    "UPDATE expense SET deleted_at = now() WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL"
)
_PURGE = "DELETE FROM expense WHERE id = $1 AND user_id = $2"
_PAID_BY_ANOTHER = """EXISTS (
    SELECT 1 FROM expense o WHERE o.recurring_id = expense.recurring_id
    AND o.recurring_due = expense.recurring_due AND o.deleted_at IS NULL AND o.id <> expense.id)"""
_RESTORE = f"""
WITH e AS (
    UPDATE expense SET deleted_at = NULL, updated_at = now(), version = version + 1,
           -- An occurrence it paid that another expense paid meanwhile stays with
           -- that one: the restored expense comes back unlinked.
           recurring_id = CASE WHEN {_PAID_BY_ANOTHER} THEN NULL ELSE recurring_id END,
           recurring_due = CASE WHEN {_PAID_BY_ANOTHER} THEN NULL ELSE recurring_due END
    WHERE id = $1 AND user_id = $2 AND deleted_at IS NOT NULL
    RETURNING *
)
SELECT {EXPENSE_COLUMNS} FROM e JOIN category c ON c.id = e.category_id
"""

_CATEGORY_OWNED = "SELECT true FROM category WHERE id = $1 AND user_id = $2"


class UnknownReference(LookupError):
    """A write named something that is not the user's to name (``field``)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def to_expense(row: asyncpg.Record | tuple[object, ...]) -> Expense:
    # Positional: the list builds 50 of these per request, and EXPENSE_COLUMNS is
    # generated from Expense's own field order (splits last).
    return decode_splits(Expense(*row))


def decode_splits(expense: Expense) -> Expense:
    """The parts arrive as JSON text (SPLITS_SQL); as structs from here on."""
    if expense.splits is not None:
        expense.splits = _SPLITS.decode(expense.splits)
    return expense


def split_arrays(parts: list[Any] | None) -> tuple[list[int] | None, list[Decimal] | None]:
    """A split's parts as the two arrays the row stores (None, None: not split)."""
    if parts is None:
        return None, None
    return [part.category_id for part in parts], [part.amount for part in parts]


async def insert(conn: asyncpg.Connection, user_id: int, data: ExpenseCreate) -> Expense:
    """The created expense; :class:`UnknownReference` for a category or refund target
    that is not the user's (or, for ``refund_of``, not a live positive expense).
    Run it in a transaction: the expense and its tags are two writes."""
    expense, _ = await insert_probing_plans(conn, user_id, data)
    return expense


async def insert_probing_plans(
    conn: asyncpg.Connection, user_id: int, data: ExpenseCreate
) -> tuple[Expense, bool]:
    """:func:`insert`, and whether a recurring plan might take the new expense
    (``recurring.matching.MIGHT_PAY_SQL``, asked by the same statement)."""
    part_categories, part_amounts = split_arrays(data.splits)
    try:
        row = await conn.fetchrow(
            _INSERT,
            user_id,
            data.category_id,
            data.amount,
            data.spent_on,
            data.description,
            data.notes,
            data.refund_of,
            data.currency,
            data.base_amount,
            part_categories,
            part_amounts,
        )
    except asyncpg.ForeignKeyViolationError:
        # The category was deleted while this insert waited for it (the refund
        # target cannot be: it is locked).
        raise UnknownReference("category_id") from None
    for check, field in (("category_ok", "category_id"), ("parts_ok", "splits")):
        if not row[check]:
            raise UnknownReference(field)
    if not row["refund_ok"]:
        raise UnknownReference("refund_of")
    expense = to_expense(tuple(row)[4:])  # after the three checks and might_pay
    if data.tags:
        # The statement above cannot see links written after it: tag, then read back.
        await tags.set_tags(conn, user_id, expense.id, data.tags)
        expense = await get(conn, user_id, expense.id) or expense
    return expense, row["might_pay"]


async def get(conn: asyncpg.Connection, user_id: int, expense_id: int) -> Expense | None:
    row = await conn.fetchrow(_GET, expense_id, user_id)
    return to_expense(row) if row else None


async def category_owned(conn: asyncpg.Connection, user_id: int, category_id: int) -> bool:
    return bool(await conn.fetchval(_CATEGORY_OWNED, category_id, user_id))


async def categories_owned(conn: asyncpg.Connection, user_id: int, ids: list[int]) -> bool:
    """Are all of ``ids`` the user's categories? They stay key-share locked until commit."""
    return bool(
        await conn.fetchval(f"SELECT {PARTS_OWNED.format(user='$1', parts='$2')}", user_id, ids)
    )


async def get_for_update(conn: asyncpg.Connection, user_id: int, expense_id: int) -> Expense | None:
    """The live expense, locked until the caller's transaction ends."""
    # The lock takes the row alone: a join would drop it when a concurrent category
    # delete moved it (the category row it joined is gone after the wait).
    locked = await conn.fetchval(
        "SELECT true FROM expense WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL FOR UPDATE",
        expense_id,
        user_id,
    )
    return await get(conn, user_id, expense_id) if locked else None


async def refund_target_ok(
    conn: asyncpg.Connection, user_id: int, expense_id: int, target_id: int
) -> bool:
    """Can ``expense_id`` name ``target_id`` as the expense it refunds? Call it in the
    transaction of the update: the target stays locked until that commits."""
    return bool(await conn.fetchval(_REFUND_TARGET_OK, target_id, user_id, expense_id))


async def update(
    conn: asyncpg.Connection,
    user_id: int,
    expense_id: int,
    changes: dict[str, Any],
    expected: IfMatch,
) -> Expense | None:
    """Apply ``changes``; ``None`` when no row matched (missing, or a stale version).

    ``changes["tags"]``, when present, replaces the expense's tags (in the caller's
    transaction); the version goes up for a change of tags alone too.
    """
    changes = dict(changes)
    new_tags = changes.pop("tags", None)
    update_sql, args = versioned_update("expense", changes, expected, ("updated_at = now()",))
    sql = f"""
        WITH e AS ({update_sql} AND deleted_at IS NULL RETURNING *)
        SELECT {EXPENSE_COLUMNS} FROM e JOIN category c ON c.id = e.category_id
    """
    row = await conn.fetchrow(sql, expense_id, user_id, *args)
    if row is None:
        return None
    if new_tags is None:
        return to_expense(row)
    await tags.set_tags(conn, user_id, expense_id, new_tags)
    return await get(conn, user_id, expense_id)


async def move_category(
    conn: asyncpg.Connection, user_id: int, from_category: int, to_category: int
) -> int:
    """Move every expense of one category to another; the number moved."""
    # The parts of split expenses move too: the array stands in for a foreign key.
    status = await conn.execute(
        "UPDATE expense SET category_id = CASE WHEN category_id = $2 THEN $3 "
        "ELSE category_id END, split_category_ids = array_replace(split_category_ids, $2, $3), "
        "updated_at = now(), version = version + 1 "
        "WHERE user_id = $1 AND (category_id = $2 OR split_category_ids @> ARRAY[$2::bigint])",
        user_id,
        from_category,
        to_category,
    )
    return int(status.split()[-1])


async def trash(conn: asyncpg.Connection, user_id: int, expense_id: int) -> bool:
    """Move the expense to the trash; ``False`` when it is not a live one of the user's."""
    return await conn.execute(_TRASH, expense_id, user_id) == "UPDATE 1"


async def purge(conn: asyncpg.Connection, user_id: int, expense_id: int) -> bool:
    """Delete for good, from the trash or not."""
    return await conn.execute(_PURGE, expense_id, user_id) == "DELETE 1"


async def restore(conn: asyncpg.Connection, user_id: int, expense_id: int) -> Expense | None:
    """Take the expense out of the trash; ``None`` when it is not in the trash."""
    row = await conn.fetchrow(_RESTORE, expense_id, user_id)
    return to_expense(row) if row else None


async def exists(conn: asyncpg.Connection, user_id: int, expense_id: int) -> bool:
    """In the list or in the trash."""
    return bool(
        await conn.fetchval(
            "SELECT true FROM expense WHERE id = $1 AND user_id = $2", expense_id, user_id
        )
    )
