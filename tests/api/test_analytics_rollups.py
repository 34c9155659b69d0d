"""Property: analytics read from the rollup equal the plain aggregate over ``expense``.

Random histories of creates, bulk imports, updates (amount, date, category),
deletes and category reassignments, with amounts of either sign (refunds) and
refunds linked to expenses that are then deleted (``ON DELETE SET NULL`` updates
the refunds, which must move no money), are applied in SQL to a user of our own,
inside a transaction that is rolled back after each example; then the analytics
statements (the very SQL and range splitting the routes use) are compared with
``GROUP BY`` over the expense rows, for whole and partial months alike.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.analytics.periods import month_end, month_index, split_range
from api.analytics.queries import CATEGORIES_SQL, MONTHLY_SQL
from api.analytics.routes import shares

EPOCH = date(2024, 11, 1)
DAYS = 200  # about seven months: many rows share a month, ranges cut through them
CATEGORIES = 4

days = st.integers(0, DAYS - 1)
# Either sign, never zero: a negative amount is a refund.
amounts = st.integers(-99_999, 99_999).filter(bool).map(lambda cents: Decimal(cents).scaleb(-2))
picks = st.lists(st.integers(0, 10_000), min_size=1, max_size=8)
new_rows = st.lists(st.tuples(days, st.integers(0, CATEGORIES - 1), amounts), max_size=15)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("create"), new_rows),
        st.tuples(st.just("import"), new_rows),
        st.tuples(st.just("amount"), picks, amounts),
        st.tuples(st.just("date"), picks, days),
        st.tuples(st.just("category"), picks, st.integers(0, CATEGORIES - 1)),
        st.tuples(st.just("delete"), picks),
        st.tuples(st.just("trash"), picks),
        st.tuples(st.just("restore"), picks),
        st.tuples(st.just("reassign"), st.integers(0, CATEGORIES - 1)),
        st.tuples(st.just("link"), picks, st.integers(0, 10_000)),
    ),
    max_size=12,
)
# Whole months only, a whole month with partial edges, and the whole window.
WHOLE_MONTHS = [
    (date(2024, 12, 1), date(2025, 2, 28)),
    (date(2024, 11, 15), date(2025, 3, 10)),
    (EPOCH, EPOCH + timedelta(DAYS)),
]
ranges = st.lists(st.tuples(days, days), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def db(database_url):
    """One event loop and connection for every example of this module."""
    loop = asyncio.new_event_loop()
    conn = loop.run_until_complete(asyncpg.connect(database_url))
    yield loop, conn
    loop.run_until_complete(conn.close())
    loop.close()


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


async def insert(conn, user_id, category_ids, rows, *, bulk: bool) -> None:
    values = [(EPOCH + timedelta(d), category_ids[c], amount) for d, c, amount in rows]
    if not values:
        return
    if bulk:  # as the import writes: one statement, one trigger run
        await conn.execute(
            "INSERT INTO expense (user_id, category_id, spent_on, amount, description, notes,"
            " created_at, updated_at, version)"
            " SELECT $1, c, d, a, '', '', now(), now(), 1"
            " FROM unnest($2::date[], $3::bigint[], $4::numeric[]) AS t(d, c, a)",
            user_id,
            *map(list, zip(*values, strict=True)),
        )
        return
    for spent_on, category_id, amount in values:
        await conn.execute(
            "INSERT INTO expense (user_id, category_id, spent_on, amount, description, notes,"
            " created_at, updated_at, version)"
            " VALUES ($1, $2, $3, $4, '', '', now(), now(), 1)",
            user_id,
            category_id,
            spent_on,
            amount,
        )


async def apply(conn, user_id, category_ids, operation) -> None:
    kind, *args = operation
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM expense WHERE user_id = $1", user_id)]
    chosen = list({ids[i % len(ids)] for i in args[0]}) if ids and kind in (
        "amount", "date", "category", "delete", "trash", "restore", "link"
    ) else []  # fmt: skip
    if kind in ("create", "import"):
        await insert(conn, user_id, category_ids, args[0], bulk=kind == "import")
    elif kind == "amount" and chosen:
        await conn.execute("UPDATE expense SET amount = $2 WHERE id = ANY($1)", chosen, args[1])
    elif kind == "date" and chosen:
        await conn.execute(
            "UPDATE expense SET spent_on = $2 WHERE id = ANY($1)",
            chosen,
            EPOCH + timedelta(args[1]),
        )
    elif kind == "category" and chosen:
        await conn.execute(
            "UPDATE expense SET category_id = $2 WHERE id = ANY($1)", chosen, category_ids[args[1]]
        )
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
    elif kind == "reassign":
        # Move one category's expenses to the next one, as DELETE ?reassign_to does.
        source = category_ids[args[0]]
        target = category_ids[(args[0] + 1) % len(category_ids)]
        await conn.execute(
            "UPDATE expense SET category_id = $2 WHERE user_id = $3 AND category_id = $1",
            source,
            target,
            user_id,
        )


async def plain_months(conn, user_id, first: date, last: date, category_id) -> list[tuple]:
    rows = await conn.fetch(
        "SELECT to_char(spent_on, 'YYYY-MM') AS month, sum(amount) AS total, count(*) AS count"
        " FROM expense WHERE user_id = $1 AND spent_on BETWEEN $2 AND $3"
        " AND deleted_at IS NULL AND ($4::bigint IS NULL OR category_id = $4) GROUP BY 1",
        user_id,
        first.replace(day=1),
        month_end(month_index(last)),
        category_id,
    )
    found = {row["month"]: (row["total"], row["count"]) for row in rows}
    return [
        (f"{m // 12:04d}-{m % 12 + 1:02d}", *found.get(f"{m // 12:04d}-{m % 12 + 1:02d}", (0, 0)))
        for m in range(month_index(first), month_index(last) + 1)
    ]


async def check(conn, user_id, category_ids, first: date, last: date) -> None:
    for category_id in (None, category_ids[0]):
        span = (month_index(first), month_index(last))
        rolled = await conn.fetch(MONTHLY_SQL, user_id, *span, category_id)
        expected = await plain_months(conn, user_id, first, last, category_id)
        assert [(r["month"], r["total"], r["count"]) for r in rolled] == expected
    split = split_range(first, last)
    rows = await conn.fetch(CATEGORIES_SQL, user_id, *split.months, *split.head, *split.tail)
    got = {r["id"]: (r["total"], r["count"]) for r in rows if r["id"] is not None}
    plain = await conn.fetch(
        "SELECT category_id, sum(amount) AS total, count(*) AS count FROM expense"
        " WHERE user_id = $1 AND spent_on BETWEEN $2 AND $3 AND deleted_at IS NULL"
        " GROUP BY category_id",
        user_id,
        first,
        last,
    )
    assert got == {r["category_id"]: (r["total"], r["count"]) for r in plain}
    totals = [r["total"] for r in rows if r["id"] is not None]
    assert totals == sorted(totals, reverse=True)
    fractions = shares(totals)
    assert sum(fractions) == (1.0 if any(total > 0 for total in totals) else 0.0)
    assert all(share == 0.0 for total, share in zip(totals, fractions, strict=True) if total <= 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=operations, noise=new_rows, windows=ranges)
def test_rollup_analytics_equal_the_plain_aggregate(db, history, noise, windows):
    loop, conn = db

    async def example() -> None:
        transaction = conn.transaction()
        await transaction.start()
        try:
            user_id, category_ids = await make_user(conn, "rollup")
            # Another user's rows in the same months must never show up.
            other_id, other_categories = await make_user(conn, "noise")
            await insert(conn, other_id, other_categories, noise, bulk=True)
            for operation in history:
                await apply(conn, user_id, category_ids, operation)
            for a, b in windows:
                first, last = sorted((EPOCH + timedelta(a), EPOCH + timedelta(b)))
                await check(conn, user_id, category_ids, first, last)
            for first, last in WHOLE_MONTHS:
                await check(conn, user_id, category_ids, first, last)
        finally:
            await transaction.rollback()

    loop.run_until_complete(example())
