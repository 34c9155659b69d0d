"""The bank import converts its rows itself (m0027: the INSERT trigger is off for its
statement): every row must hold what the conversion trigger gives, and the rollup
must still sum to the plain aggregate.

Rates are the shipped files' (tests/api/rates/: 2022-03-01, 2024-12-02, -19, -20),
so a day can have its own publication, an earlier one within the 7-day look-back,
or none at all (the row stays unconverted).
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.imports import queries
from tests.api.bank_import_helpers import commit
from tests.api.helpers import import_rates
from tests.support import register_and_login

RATES_DIR = Path(__file__).parent / "rates"
CURRENCIES = ("USD", "EUR", "GBP", "JPY", "ISK", "CHF")  # CHF: never published here

rows = st.lists(
    st.tuples(
        st.sampled_from(CURRENCIES),
        st.integers(0, 40).map(lambda n: date(2024, 11, 25) + timedelta(days=n)),
        st.integers(1, 99_999_999).map(lambda cents: Decimal(cents) / 100),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture(scope="module", autouse=True)
def published_rates(database_url: str) -> None:
    for name in ("eurofxref-hist.csv", "eurofxref.csv"):
        import_rates(database_url, RATES_DIR / name)


def _statement(lines: list[tuple[str, date, Decimal]]) -> bytes:
    body = [f"{day.isoformat()};Row {i};-{amount:.2f};{currency}" for i, (currency, day, amount)
            in enumerate(lines)]  # fmt: skip
    return ("Date;Description;Amount;Currency\n" + "\n".join(body) + "\n").encode()


async def _reconverted(database_url: str, user_id: int) -> tuple[list, list, list, list]:
    """(stored, as the trigger converts them, rollup buckets, plain buckets)."""
    conn = await asyncpg.connect(database_url)
    try:
        select = (
            "SELECT id, currency, rate, base_amount FROM expense WHERE user_id = $1 ORDER BY id"
        )
        stored = await conn.fetch(select, user_id)
        undone = conn.transaction()
        await undone.start()
        # A NULL rate makes the UPDATE trigger convert the row afresh (m0015).
        await conn.execute("UPDATE expense SET rate = NULL WHERE user_id = $1", user_id)
        again = await conn.fetch(select, user_id)
        await undone.rollback()
        buckets = """
            SELECT category_id, month, currency, sum(total), sum(count), sum(expenses),
                   sum(unconverted)
            FROM expense_monthly_rollup WHERE user_id = $1 GROUP BY 1, 2, 3
            HAVING sum(count) <> 0 ORDER BY 1, 2, 3"""
        plain = """
            SELECT category_id, date_trunc('month', spent_on)::date, currency,
                   coalesce(sum(base_amount), 0), count(*), count(*) FILTER (WHERE first),
                   count(*) FILTER (WHERE first AND base_amount IS NULL)
            FROM expense_line WHERE user_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"""
        return (
            [tuple(r) for r in stored],
            [tuple(r) for r in again],
            [tuple(r) for r in await conn.fetch(buckets, user_id)],
            [tuple(r) for r in await conn.fetch(plain, user_id)],
        )
    finally:
        await conn.close()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(base=st.sampled_from(("USD", "EUR", "GBP")), lines=rows)
def test_imported_rows_hold_what_the_trigger_gives(client, database_url, base, lines):
    account = register_and_login(client, currency=base)
    result = commit(client, account, _statement(lines))
    assert result["created"] == len(lines)
    stored, again, rollup, plain = asyncio.run(_reconverted(database_url, account.profile["id"]))
    assert stored == again
    assert rollup == plain


def test_a_rate_and_none_are_both_taken_as_the_trigger_takes_them(client, database_url):
    account = register_and_login(client, currency="USD")
    lines = [
        ("EUR", date(2024, 12, 20), Decimal("100.00")),  # its own day: 1.0390
        ("EUR", date(2024, 12, 22), Decimal("100.00")),  # a Sunday: the 20th's
        ("EUR", date(2024, 12, 10), Decimal("100.00")),  # 8 days after the 2nd: none
        ("USD", date(2024, 12, 10), Decimal("100.00")),  # the base itself
    ]
    commit(client, account, _statement(lines))
    stored, again, _, _ = asyncio.run(_reconverted(database_url, account.profile["id"]))
    assert [(r[1], r[3]) for r in stored] == [
        ("EUR", Decimal("103.90")),
        ("EUR", Decimal("103.90")),
        ("EUR", None),
        ("USD", Decimal("100.00")),
    ]
    assert stored == again


def test_the_trigger_is_back_on_after_the_bulk_insert(client, database_url):
    account = register_and_login(client, currency="USD")
    user_id = account.profile["id"]

    async def run() -> tuple[str, Decimal]:
        conn = await asyncpg.connect(database_url)
        try:
            async with conn.transaction():
                category = await conn.fetchval(
                    "SELECT min(id) FROM category WHERE user_id = $1", user_id
                )
                import_id = await queries.insert_import(conn, user_id, "csv", "")
                new = queries.NewExpense(
                    category, Decimal("10.00"), "EUR", date(2024, 12, 20), "bulk", "", None
                )
                await queries.insert_expenses(conn, user_id, import_id, "", [new])
                setting = await conn.fetchval("SELECT current_setting('expense.converted')")
                # A plain INSERT later in the same transaction is converted by the trigger.
                base = await conn.fetchval(
                    "INSERT INTO expense (user_id, category_id, amount, currency, spent_on,"
                    " description, notes, created_at, updated_at, version)"
                    " VALUES ($1, $2, 10.00, 'EUR', '2024-12-20', 'plain', '', now(), now(), 1)"
                    " RETURNING base_amount",
                    user_id,
                    category,
                )
                return setting, base
        finally:
            await conn.close()

    assert asyncio.run(run()) == ("off", Decimal("10.39"))
