"""Split expenses: the sum rule, the category filter and analytics by part, base
amounts shared out exactly, and categories that parts still use."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api.helpers import add_expense, categories, import_rates, list_all
from tests.support import run_sql

EXPENSES = "/api/v1/expenses"
RATES_DIR = Path(__file__).parent / "rates"


@pytest.fixture(scope="module", autouse=True)
def published_rates(database_url: str) -> None:
    import_rates(database_url, RATES_DIR / "eurofxref-hist.csv")


def ids(client, account) -> tuple[int, int, int]:
    names = categories(client, account)
    return names["Food"]["id"], names["Travel"]["id"], names["Bills"]["id"]


def parts(*pairs: tuple[int, str]) -> list[dict]:
    return [{"category_id": category, "amount": amount} for category, amount in pairs]


def test_a_split_takes_its_first_parts_category_and_counts_by_part(client, account):
    food, travel, home = ids(client, account)
    receipt = add_expense(
        client, account, amount="30.00", spent_on="2025-02-10", category_id=None,
        splits=parts((travel, "20.00"), (food, "10.00")),
    )  # fmt: skip
    assert receipt["category_id"] == travel
    assert receipt["splits"] == parts((travel, "20.00"), (food, "10.00"))
    add_expense(client, account, amount="5.00", spent_on="2025-02-11", category_id=food)
    # The filter matches a split by any part; the list shows the whole expense.
    assert [e["amount"] for e in list_all(client, account, category_id=food)] == [
        "5.00", "30.00"
    ]  # fmt: skip
    assert list_all(client, account, category_id=home) == []
    body = client.get(
        "/api/v1/analytics/categories", params={"from": "2025-02-01", "to": "2025-02-28"},
        headers=account.headers,
    ).json()  # fmt: skip
    totals = {row["category_id"]: (row["total"], row["count"]) for row in body["categories"]}
    assert totals == {travel: ("20.00", 1), food: ("15.00", 2)}
    monthly = client.get(
        "/api/v1/analytics/monthly", params={"from": "2025-02", "to": "2025-02"},
        headers=account.headers,
    ).json()  # fmt: skip
    assert monthly["months"] == [{"month": "2025-02", "total": "35.00", "count": 2}]


@pytest.mark.parametrize(
    ("amount", "shares", "field"),
    [
        ("30.00", ["20.00", "9.99"], "splits"),  # sums to 29.99
        ("30.00", ["30.00"], "splits"),  # one part
        ("30.00", ["40.00", "-10.00"], "splits[1].amount"),  # a part against the sign
        ("-30.00", ["-40.00", "10.00"], "splits[1].amount"),
        ("30.00", ["30.00", "0"], "splits[1].amount"),  # zero
        ("30.00", ["1.00"] * 51, "splits"),  # too many
    ],
)
def test_the_split_rule_is_a_422_naming_the_field(client, account, amount, shares, field):
    food, _, _ = ids(client, account)
    body = {
        "amount": amount,
        "spent_on": "2025-02-10",
        "splits": parts(*[(food, s) for s in shares]),
    }
    response = client.post(EXPENSES, json=body, headers=account.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


def test_a_part_in_another_users_category_is_422(client, account, other_account):
    food, _, _ = ids(client, account)
    theirs = categories(client, other_account)["Food"]["id"]
    body = {
        "amount": "3.00",
        "spent_on": "2025-02-10",
        "splits": parts((food, "1.00"), (theirs, "2.00")),
    }
    response = client.post(EXPENSES, json=body, headers=account.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "splits"
    expense = add_expense(client, account)
    patched = client.patch(f"{EXPENSES}/{expense['id']}", json=body, headers=account.headers)
    assert patched.status_code == 422, patched.text
    assert patched.json()["errors"][0]["field"] == "splits"
    assert client.post(EXPENSES, json={"amount": "1.00", "spent_on": "2025-02-10"},
                       headers=account.headers).status_code == 422  # fmt: skip


def test_updates_keep_the_sum_rule(client, account):
    food, travel, _ = ids(client, account)
    receipt = add_expense(
        client, account, amount="30.00", category_id=None,
        splits=parts((food, "20.00"), (travel, "10.00")),
    )  # fmt: skip
    url = f"{EXPENSES}/{receipt['id']}"
    alone = client.patch(url, json={"amount": "31.00"}, headers=account.headers)
    assert alone.status_code == 422, alone.text
    assert alone.json()["errors"][0]["field"] == "splits"
    both = client.patch(
        url, json={"amount": "31.00", "splits": parts((travel, "1.00"), (food, "30.00"))},
        headers=account.headers,
    )  # fmt: skip
    assert both.status_code == 200, both.text
    assert (both.json()["category_id"], both.json()["amount"]) == (travel, "31.00")
    # category_id is the first part's while split, whatever the body says.
    ignored = client.patch(url, json={"category_id": food}, headers=account.headers)
    assert ignored.json()["category_id"] == travel
    whole = client.patch(url, json={"splits": None, "category_id": food}, headers=account.headers)
    assert (whole.json()["splits"], whole.json()["category_id"]) == (None, food)


def test_parts_share_the_base_amount_exactly(client, account):
    food, travel, home = ids(client, account)
    # 10.00 EUR at 1.039 = 10.39 USD; the parts' exact shares are 3.45987, 3.45987,
    # 3.47026: rounded 3.46 + 3.46 + 3.47 = 10.39, so nothing is left over.
    # 0.03 EUR = 0.03117 -> 0.03 USD in thirds of 0.01: 0.01 each, exactly.
    receipt = add_expense(
        client, account, amount="10.00", currency="EUR", spent_on="2024-12-20", category_id=None,
        splits=parts((food, "3.33"), (travel, "3.33"), (home, "3.34")),
    )  # fmt: skip
    assert receipt["base_amount"] == "10.39"
    body = client.get(
        "/api/v1/analytics/categories", params={"from": "2024-12-01", "to": "2024-12-31"},
        headers=account.headers,
    ).json()  # fmt: skip
    totals = {row["category_id"]: row["total"] for row in body["categories"]}
    assert totals == {home: "3.47", food: "3.46", travel: "3.46"}
    assert body["total"] == "10.39"


def test_a_category_used_by_a_part_is_not_deleted_unless_reassigned(client, account):
    food, travel, home = ids(client, account)
    receipt = add_expense(
        client, account, amount="3.00", category_id=None,
        splits=parts((food, "1.00"), (home, "2.00")),
    )  # fmt: skip
    refused = client.delete(f"/api/v1/categories/{home}", headers=account.headers)
    assert refused.status_code == 409, refused.text
    moved = client.delete(
        f"/api/v1/categories/{home}", params={"reassign_to": travel}, headers=account.headers
    )
    assert moved.status_code == 204, moved.text
    after = client.get(f"{EXPENSES}/{receipt['id']}", headers=account.headers).json()
    assert after["splits"] == parts((food, "1.00"), (travel, "2.00"))


def oracle(amounts: list[int], base: int) -> list[int]:
    """Each part's base amount in cents, from exact fractions: half-even shares, the
    remainder on the largest part (the first of equals)."""
    whole = sum(amounts)
    shares = [round(Fraction(base * amount, whole)) for amount in amounts]
    largest = max(range(len(amounts)), key=lambda i: (abs(amounts[i]), -i))
    shares[largest] += base - sum(shares)
    return shares


sign = st.sampled_from([1, -1])
split_cases = st.tuples(
    st.lists(st.integers(1, 10**9), min_size=2, max_size=50), st.integers(1, 10**12), sign
)


@settings(max_examples=150, deadline=None)
@given(case=split_cases)
def test_split_lines_match_exact_fractions(database_url, case):
    magnitudes, base, direction = case
    amounts = [direction * cents for cents in magnitudes]
    rows = run_sql(
        database_url,
        "SELECT part, base_amount FROM split_lines($1, $2, $3, $4) ORDER BY part",
        list(range(1, len(amounts) + 1)),
        [Decimal(cents).scaleb(-2) for cents in amounts],
        Decimal(sum(amounts)).scaleb(-2),
        Decimal(direction * base).scaleb(-2),
    )
    got = [int(row["base_amount"] * 100) for row in rows]
    assert got == oracle(amounts, direction * base)
    assert sum(got) == direction * base


def test_an_account_with_split_expenses_can_be_deleted(client, account):
    food, travel, _ = ids(client, account)
    add_expense(
        client, account, amount="3.00", category_id=None,
        splits=parts((food, "1.00"), (travel, "2.00")),
    )  # fmt: skip
    response = client.delete("/api/v1/me", headers=account.headers)
    assert response.status_code == 204, response.text


@pytest.mark.parametrize("shares", [[], ["30.00"]])
def test_a_patch_with_too_few_parts_is_422(client, account, shares):
    food, _, _ = ids(client, account)
    expense = add_expense(client, account, amount="30.00")
    body = {"splits": parts(*[(food, share) for share in shares])}
    response = client.patch(f"{EXPENSES}/{expense['id']}", json=body, headers=account.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "splits"


def test_the_summary_of_a_category_counts_the_parts_in_it(client, account):
    food, travel, _ = ids(client, account)
    add_expense(
        client, account, amount="30.00", spent_on="2025-03-10", category_id=None,
        splits=parts((travel, "20.00"), (food, "10.00")),
    )  # fmt: skip
    add_expense(client, account, amount="5.00", spent_on="2025-03-11", category_id=food)
    summary = client.get(
        f"{EXPENSES}/summary", params={"category_id": food, "from": "2025-03-01"},
        headers=account.headers,
    ).json()  # fmt: skip
    assert (summary["count"], summary["total"], summary["min"], summary["max"]) == (
        2, "15.00", "5.00", "10.00"
    )  # fmt: skip
    whole = client.get(
        f"{EXPENSES}/summary", params={"from": "2025-03-01"}, headers=account.headers
    ).json()
    assert (whole["count"], whole["total"]) == (2, "35.00")
