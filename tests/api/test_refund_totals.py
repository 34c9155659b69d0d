"""Refunds in the totals: summary, monthly and categories net them out (API.md).

Every expected value is computed by hand from ``SEEDED``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.analytics.routes import shares
from tests.api.helpers import list_all

EXPENSES = "/api/v1/expenses"
HEADER = "date,category,description,amount,notes\n"


def seed(client, account, rows: str) -> None:
    response = client.post(
        f"{EXPENSES}/import",
        content=(HEADER + rows).encode(),
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text


SEEDED = (
    "2025-01-05,Food,Groceries,100.00,\n"
    "2025-01-20,Food,Returned groceries,-30.00,\n"
    "2025-02-03,Travel,Train,40.00,\n"
    "2025-02-10,Travel,Cancelled hotel,-50.00,\n"
    "2025-02-11,Bills,Phone,30.00,\n"
    "2025-02-12,Shopping,Store credit,-20.00,\n"
    "2025-02-14,Health,Pharmacy,25.00,\n"
    "2025-02-15,Health,Pharmacy refund,-25.00,\n"
)


def test_summary_nets_refunds_out(client, account):
    seed(client, account, SEEDED)
    summary = client.get(f"{EXPENSES}/summary", headers=account.headers).json()
    # 100 - 30 + 40 - 50 + 30 - 20 + 25 - 25 = 70; 70 / 8 = 8.75
    assert summary == {
        "count": 8,
        "total": "70.00",
        "average": "8.75",
        "min": "-50.00",
        "max": "100.00",
        "unconverted": 0,
        "currency": "USD",
    }
    # min_amount may be negative: everything from -25.00 up (drops -30 and -50).
    above = client.get(
        f"{EXPENSES}/summary", params={"min_amount": "-25.00"}, headers=account.headers
    ).json()
    assert (above["count"], above["total"], above["min"]) == (6, "150.00", "-25.00")
    refunds = list_all(client, account, max_amount="-0.01", sort="amount", order="asc", limit=1)
    assert [item["amount"] for item in refunds] == ["-50.00", "-30.00", "-25.00", "-20.00"]


def test_monthly_totals_net_refunds_out(client, account):
    seed(client, account, SEEDED)
    body = client.get(
        "/api/v1/analytics/monthly",
        params={"from": "2025-01", "to": "2025-02"},
        headers=account.headers,
    ).json()
    # January: 100 - 30; February: 40 - 50 + 30 - 20 + 25 - 25.
    assert body["months"] == [
        {"month": "2025-01", "total": "70.00", "count": 2},
        {"month": "2025-02", "total": "0.00", "count": 6},
    ]


@pytest.mark.parametrize(
    ("date_from", "date_to"), [("2025-01-01", "2025-02-28"), ("2025-01-04", "2025-02-20")]
)
def test_category_shares_divide_the_positive_totals(client, account, date_from, date_to):
    seed(client, account, SEEDED)
    body = client.get(
        "/api/v1/analytics/categories",
        params={"from": date_from, "to": date_to},
        headers=account.headers,
    ).json()
    got = [(c["name"], c["total"], c["count"], c["share"]) for c in body["categories"]]
    # Positive totals: Food 70 + Bills 30 = 100, so 0.7 and 0.3; Health nets to 0,
    # Travel to -10, Shopping to -20: no share. The net total is 70.
    assert got == [
        ("Food", "70.00", 2, 0.7),
        ("Bills", "30.00", 1, pytest.approx(0.3)),
        ("Health", "0.00", 2, 0.0),
        ("Travel", "-10.00", 2, 0.0),
        ("Shopping", "-20.00", 1, 0.0),
    ]
    assert sum(c["share"] for c in body["categories"]) == 1.0
    assert body["total"] == "70.00"


def test_only_refunds_in_the_range_give_every_category_share_zero(client, account):
    seed(client, account, "2025-03-01,Food,Refund,-12.00,\n2025-03-02,Travel,Refund,-3.00,\n")
    body = client.get(
        "/api/v1/analytics/categories",
        params={"from": "2025-03-01", "to": "2025-03-31"},
        headers=account.headers,
    ).json()
    assert [(c["total"], c["share"]) for c in body["categories"]] == [
        ("-3.00", 0.0),
        ("-12.00", 0.0),
    ]
    assert body["total"] == "-15.00"


def test_shares_by_hand():
    totals = [Decimal("70.00"), Decimal("30.00"), Decimal("0.00"), Decimal("-10.00")]
    assert shares(totals) == [0.7, 1.0 - 0.7, 0.0, 0.0]
    assert shares([Decimal("-1.00"), Decimal("0.00")]) == [0.0, 0.0]
    assert shares([Decimal("5.00"), Decimal("-5.00")]) == [1.0, 0.0]


money = st.integers(-99_999_999_999, 99_999_999_999).map(lambda cents: Decimal(cents).scaleb(-2))


@given(st.lists(money, max_size=40).map(lambda xs: sorted(xs, reverse=True)))
def test_positive_totals_share_everything_and_the_rest_nothing(totals):
    fractions = shares(totals)
    positive = [total for total in totals if total > 0]
    assert all(0.0 <= share <= 1.0 for share in fractions)
    assert all(share == 0.0 for total, share in zip(totals, fractions, strict=True) if total <= 0)
    if positive:
        assert sum(fractions) == 1.0
        grand = sum(positive)
        for total, share in zip(positive[:-1], fractions, strict=False):
            assert share == float(total / grand)
    else:
        assert sum(fractions) == 0.0
