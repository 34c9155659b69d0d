"""Random expense histories written straight in SQL, for the rollup property test.

Every way the API or an import changes expenses has an operation here: creates,
bulk imports, updates of amount, date, category and currency, deletes, the trash,
category reassignment, refund links (whose ``ON DELETE SET NULL`` must move no
money), splits, settled amounts, rates arriving, and a base-currency change.
Amounts have either sign (refunds). Rates are for the ISO test codes XTS and XBA,
so no rate file another test loads can collide with them.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal

import asyncpg
from hypothesis import strategies as st

from api.currencies.queries import CONVERT_WAITING_SQL, rebase
from api.expenses.queries import move_category

EPOCH = date(2024, 11, 1)
DAYS = 200  # about seven months: many rows share a month, ranges cut through them
CATEGORIES = 4
CURRENCIES = ("EUR", "XTS", "XBA")

days = st.integers(0, DAYS - 1)
cents = st.integers(-99_999, 99_999).filter(bool)
amounts = cents.map(lambda value: Decimal(value).scaleb(-2))
picks = st.lists(st.integers(0, 10_000), min_size=1, max_size=8)
currencies = st.sampled_from(CURRENCIES)
new_rows = st.lists(
    st.tuples(days, st.integers(0, CATEGORIES - 1), amounts, currencies), max_size=15
)
# Rates of a day as the ECB file has them: up to 4 decimals.
rates = st.lists(
    st.tuples(days, st.sampled_from(CURRENCIES[1:]), st.integers(1, 5_000_000)), max_size=6
)
# Parts as weights and categories: the amount is cut in these proportions.
split_plans = st.lists(
    st.tuples(st.integers(1, 9), st.integers(0, CATEGORIES - 1)), min_size=2, max_size=4
)
operations = st.lists(
    st.one_of(
        # Some inserted already split: the insert triggers' split path (m0030).
        st.tuples(st.just("create"), new_rows, st.none() | split_plans),
        st.tuples(st.just("import"), new_rows, st.none() | split_plans),
        st.tuples(st.just("amount"), picks, amounts),
        st.tuples(st.just("date"), picks, days),
        st.tuples(st.just("category"), picks, st.integers(0, CATEGORIES - 1)),
        st.tuples(st.just("currency"), picks, currencies),
        st.tuples(st.just("delete"), picks),
        st.tuples(st.just("trash"), picks),
        st.tuples(st.just("restore"), picks),
        st.tuples(st.just("reassign"), st.integers(0, CATEGORIES - 1)),
        st.tuples(st.just("link"), picks, st.integers(0, 10_000)),
        st.tuples(st.just("split"), picks, split_plans),
        st.tuples(st.just("unsplit"), picks),
        st.tuples(st.just("settle"), picks, cents),
        st.tuples(st.just("rates"), rates),
        st.tuples(st.just("rebase"), currencies),
    ),
    max_size=12,
)


async def make_user(conn: asyncpg.Connection, tag: str) -> tuple[int, list[int]]:
    user_id = await conn.fetchval(
        "INSERT INTO app_user (email, password_hash, display_name, currency, created_at)"
        " VALUES ($1 || '-' || gen_random_uuid() || '@example.com', 'x', '', 'EUR', now())"
        " RETURNING id",
        tag,
    )
    ids = await conn.fetch(
        "INSERT INTO category (user_id, name, color, created_at)"
        " SELECT $1, 'C' || n, '#000000', now() FROM generate_series(1, $2) AS n RETURNING id",
        user_id,
        CATEGORIES,
    )
    return user_id, [row["id"] for row in ids]


_INSERTED = (
    "user_id, category_id, spent_on, amount, currency, split_category_ids, split_amounts,"
    " description, notes, created_at, updated_at, version"
)
_VALUES = "($1, ${}, ${}, ${}, ${}, ${}::bigint[], ${}::numeric[], '', '', now(), now(), 1)"


async def insert(conn, user_id, category_ids, rows, *, bulk: bool, plan=None) -> None:
    """``rows`` inserted one statement each, or all in one (``bulk``: as the import
    writes, one trigger run); split by ``plan`` already where it cuts their amount."""
    values = []
    for day, category, amount, currency in rows:
        parts = cut(amount, plan) if plan else None
        ids = [category_ids[c] for _, c in plan] if parts else None
        first = ids[0] if ids else category_ids[category]
        values.append((first, EPOCH + timedelta(day), amount, currency, ids, parts))
    for statement in [values] if bulk else [[row] for row in values]:
        if not statement:
            continue
        placeholders = ", ".join(
            _VALUES.format(*range(2 + 6 * i, 8 + 6 * i)) for i in range(len(statement))
        )
        sql = f"INSERT INTO expense ({_INSERTED}) VALUES {placeholders}"  # noqa: S608 (placeholders)
        await conn.execute(
            sql,
            user_id,
            *[value for row in statement for value in row],
        )


def cut(amount: Decimal, plan: list[tuple[int, int]]) -> list[Decimal] | None:
    """``amount`` in parts proportional to the plan's weights, each non-zero with its
    sign, summing exactly to it; None when it has too few cents for the parts."""
    whole = int(amount * 100)
    if abs(whole) < len(plan):
        return None
    weights = [weight for weight, _ in plan]
    parts = [whole * weight // sum(weights) or (1 if whole > 0 else -1) for weight in weights]
    parts[0] += whole - sum(parts)
    if any((part > 0) != (whole > 0) or part == 0 for part in parts):
        return None
    return [Decimal(part).scaleb(-2) for part in parts]


async def split(conn, chosen, category_ids, plan) -> None:
    rows = await conn.fetch("SELECT id, amount FROM expense WHERE id = ANY($1)", chosen)
    for row in rows:
        parts = cut(row["amount"], plan)
        if parts is None:
            continue
        ids = [category_ids[category] for _, category in plan]
        await conn.execute(
            "UPDATE expense SET category_id = $2, split_category_ids = $3, split_amounts = $4"
            " WHERE id = $1",
            row["id"],
            ids[0],
            ids,
            parts,
        )


async def apply(conn, user_id, category_ids, operation) -> None:
    kind, *args = operation
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM expense WHERE user_id = $1", user_id)]
    chosen = list({ids[i % len(ids)] for i in args[0]}) if ids and kind in (
        "amount", "date", "category", "currency", "delete", "trash", "restore", "link",
        "split", "unsplit", "settle",
    ) else []  # fmt: skip
    if kind in ("create", "import"):
        await insert(conn, user_id, category_ids, args[0], bulk=kind == "import", plan=args[1])
    elif kind == "amount" and chosen:
        # A split's amount changes with its parts (the API refuses it otherwise).
        await conn.execute(
            "UPDATE expense SET amount = $2 WHERE id = ANY($1) AND split_amounts IS NULL",
            chosen,
            args[1],
        )
    elif kind == "date" and chosen:
        await conn.execute(
            "UPDATE expense SET spent_on = $2 WHERE id = ANY($1)",
            chosen,
            EPOCH + timedelta(args[1]),
        )
    elif kind == "category" and chosen:
        await conn.execute(
            "UPDATE expense SET category_id = $2 WHERE id = ANY($1) AND split_amounts IS NULL",
            chosen,
            category_ids[args[1]],
        )
    elif kind == "currency" and chosen:
        await conn.execute("UPDATE expense SET currency = $2 WHERE id = ANY($1)", chosen, args[1])
    elif kind == "delete" and chosen:
        await conn.execute("DELETE FROM expense WHERE id = ANY($1)", chosen)
    elif kind == "trash" and chosen:
        await conn.execute("UPDATE expense SET deleted_at = now() WHERE id = ANY($1)", chosen)
    elif kind == "restore" and chosen:
        await conn.execute("UPDATE expense SET deleted_at = NULL WHERE id = ANY($1)", chosen)
    elif kind == "link" and chosen:
        # The chosen expenses become refunds of another one (the API's checks on
        # the target are not what this property is about).
        target = ids[args[1] % len(ids)]
        await conn.execute(
            "UPDATE expense SET refund_of = $2 WHERE id = ANY($1) AND id <> $2", chosen, target
        )
    elif kind == "split" and chosen:
        await split(conn, chosen, category_ids, args[1])
    elif kind == "unsplit" and chosen:
        await conn.execute(
            "UPDATE expense SET split_category_ids = NULL, split_amounts = NULL WHERE id = ANY($1)",
            chosen,
        )
    elif kind == "settle" and chosen:
        # What the bank charged: any size, the sign of the amount.
        await conn.execute(
            "UPDATE expense SET settled = true, base_amount = sign(amount) * $2 WHERE id = ANY($1)",
            chosen,
            Decimal(abs(args[1])).scaleb(-2),
        )
    elif kind == "rates" and args[0]:
        await conn.executemany(
            "INSERT INTO euro_rate (currency, day, eur_rate) VALUES ($1, $2, $3)"
            " ON CONFLICT (currency, day) DO UPDATE SET eur_rate = EXCLUDED.eur_rate",
            [(cur, EPOCH + timedelta(d), Decimal(r).scaleb(-4)) for d, cur, r in args[0]],
        )
        await conn.execute(CONVERT_WAITING_SQL)
    elif kind == "rebase":
        old = await conn.fetchval("SELECT currency FROM app_user WHERE id = $1", user_id)
        if old != args[0]:
            await conn.execute("UPDATE app_user SET currency = $2 WHERE id = $1", user_id, args[0])
            await rebase(conn, user_id, old, args[0])
    elif kind == "reassign":
        # Move one category's expenses (and parts) to the next, as DELETE ?reassign_to does.
        target = category_ids[(args[0] + 1) % len(category_ids)]
        await move_category(conn, user_id, category_ids[args[0]], target)


@contextlib.asynccontextmanager
async def user_beside_noise(
    conn: asyncpg.Connection, name: str, noise: list
) -> AsyncIterator[tuple[int, list[int], int, list[int]]]:
    """A user, and another with ``noise`` in the same months that must never show
    up in the first one's figures; all rolled back afterwards.

    Yields (user id, its categories, the other's id, the other's categories).
    """
    transaction = conn.transaction()
    await transaction.start()
    try:
        user_id, category_ids = await make_user(conn, name)
        other_id, other_categories = await make_user(conn, f"{name}-noise")
        await insert(conn, other_id, other_categories, noise, bulk=True)
        yield user_id, category_ids, other_id, other_categories
    finally:
        await transaction.rollback()
