"""Property: the second release's CSV carries money whole. Expenses in several
currencies, with charged (settled) amounts, tags, splits and refunds, exported
from one account and imported into a fresh one, are stored exactly alike."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import categories, import_rates
from tests.support import register_and_login

RATES_DIR = Path(__file__).parent / "rates"
# Days with published rates (so most foreign expenses convert) and one without.
DAYS = ["2024-12-20", "2024-12-19", "2024-12-02", "2024-12-14"]
CATEGORY_NAMES = ["Food", "Travel", "Bills"]

tag = st.text(st.characters(codec="utf-8", exclude_characters=",\x00"), min_size=1, max_size=12)
tag = tag.map(str.strip).filter(bool)
cents = st.integers(1, 9_999_999)
expense = st.fixed_dictionaries(
    {
        "cents": cents,
        "refund": st.booleans(),
        "spent_on": st.sampled_from(DAYS),
        "currency": st.sampled_from([None, "USD", "EUR", "GBP", "JPY"]),
        "charged": st.one_of(st.none(), cents),
        "tags": st.lists(tag, max_size=3),
        # Weights of the parts and their categories; fewer than two: not split.
        "parts": st.lists(
            st.tuples(st.integers(1, 5), st.sampled_from(CATEGORY_NAMES)), max_size=3
        ),
        "description": st.sampled_from(["", "taxi", "=cmd", "dinner, shared"]),
    }
)


@pytest.fixture(scope="module", autouse=True)
def published_rates(database_url: str) -> None:
    import_rates(database_url, RATES_DIR / "eurofxref-hist.csv")


def body(spec: dict, ids: dict[str, int]) -> dict:
    sign = -1 if spec["refund"] else 1
    amount = sign * spec["cents"]
    payload: dict = {
        "amount": str(Decimal(amount).scaleb(-2)),
        "spent_on": spec["spent_on"],
        "description": spec["description"],
        "tags": spec["tags"],
        "category_id": ids["Food"],
    }
    if spec["currency"]:
        payload["currency"] = spec["currency"]
    if spec["charged"] and spec["currency"] not in (None, "USD"):
        payload["base_amount"] = str(Decimal(sign * spec["charged"]).scaleb(-2))
    weights = spec["parts"]
    if len(weights) >= 2 and spec["cents"] >= 10 * len(weights):
        shares = [spec["cents"] * w // sum(w for w, _ in weights) for w, _ in weights]
        shares[0] += spec["cents"] - sum(shares)
        payload["splits"] = [
            {"category_id": ids[name], "amount": str(Decimal(sign * share).scaleb(-2))}
            for share, (_, name) in zip(shares, weights, strict=True)
        ]
    return payload


def stored(database_url: str, user_id: int) -> list[tuple]:
    async def fetch() -> list[tuple]:
        conn = await asyncpg.connect(database_url)
        try:
            rows = await conn.fetch(
                """
                SELECT e.spent_on, c.name, e.description, e.amount, e.currency, e.base_amount,
                       e.settled, e.rate,
                       (SELECT array_agg(t.name ORDER BY t.name) FROM expense_tag et
                        JOIN tag t ON t.id = et.tag_id WHERE et.expense_id = e.id) AS tags,
                       (SELECT array_agg(pc.name || ' ' || p.amount ORDER BY p.n)
                        FROM unnest(e.split_category_ids, e.split_amounts)
                             WITH ORDINALITY AS p(category_id, amount, n)
                        JOIN category pc ON pc.id = p.category_id) AS parts
                FROM expense e JOIN category c ON c.id = e.category_id WHERE e.user_id = $1
                """,
                user_id,
            )
        finally:
            await conn.close()
        return sorted((tuple(row) for row in rows), key=repr)

    return asyncio.run(fetch())


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(expenses=st.lists(expense, min_size=1, max_size=6))
def test_money_survives_export_then_import(client, database_url, expenses):
    source, target = register_and_login(client), register_and_login(client)
    ids = {name: item["id"] for name, item in categories(client, source).items()}
    for spec in expenses:
        response = client.post("/api/v1/expenses", json=body(spec, ids), headers=source.headers)
        assert response.status_code == 201, response.text
    exported = client.get("/api/v1/expenses/export.csv", headers=source.headers)
    assert exported.status_code == 200, exported.text
    response = client.post(
        "/api/v1/expenses/import",
        content=exported.content,
        headers={**target.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"created": len(expenses), "duplicates": 0, "errors": []}
    assert stored(database_url, target.profile["id"]) == stored(database_url, source.profile["id"])
