"""``/api/v1/analytics``: monthly totals and the split by category, over HTTP."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.analytics.routes import shares
from api.periods import month_end, month_index, split_range

MONTHLY = "/api/v1/analytics/monthly"
BY_CATEGORY = "/api/v1/analytics/categories"
HEADER = "date,category,description,amount,notes\n"


def seed(client, account, rows: str) -> None:
    response = client.post(
        "/api/v1/expenses/import",
        content=(HEADER + rows).encode(),
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text


def get(client, account, path: str, **params):
    return client.get(path, params=params, headers=account.headers)


def category_ids(client, account) -> dict[str, int]:
    items = client.get("/api/v1/categories", headers=account.headers).json()["items"]
    return {item["name"]: item["id"] for item in items}


def test_monthly_defaults_to_twelve_months_up_to_now_with_zeros(client, account):
    before = datetime.now(UTC).strftime("%Y-%m")
    body = get(client, account, MONTHLY).json()
    after = datetime.now(UTC).strftime("%Y-%m")  # differs only across a month boundary
    assert body["currency"] == "USD"
    months = [month["month"] for month in body["months"]]
    assert len(months) == 12
    assert months == sorted(months)
    assert months[-1] in {before, after}
    assert {(m["total"], m["count"]) for m in body["months"]} == {("0.00", 0)}


def test_monthly_totals_every_month_oldest_first(client, account):
    seed(
        client,
        account,
        "2025-01-31,Food,a,10.10,\n2025-01-01,Travel,b,0.90,\n2025-03-15,Food,c,5.00,\n"
        "2024-12-31,Food,outside,99.00,\n",
    )
    body = get(client, account, MONTHLY, **{"from": "2025-01", "to": "2025-04"}).json()
    assert body["months"] == [
        {"month": "2025-01", "total": "11.00", "count": 2},
        {"month": "2025-02", "total": "0.00", "count": 0},
        {"month": "2025-03", "total": "5.00", "count": 1},
        {"month": "2025-04", "total": "0.00", "count": 0},
    ]
    food = category_ids(client, account)["Food"]
    only_food = get(
        client, account, MONTHLY, category_id=food, **{"from": "2025-01", "to": "2025-01"}
    )
    assert only_food.json()["months"] == [{"month": "2025-01", "total": "10.10", "count": 1}]


def test_monthly_of_another_users_category_is_404(client, account, other_account):
    theirs = category_ids(client, other_account)["Food"]
    response = get(client, account, MONTHLY, category_id=theirs)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2025-05", "to": "2025-04"},
        {"from": "2025-13"},
        {"to": "2025-1"},
        {"from": "last year"},
        {"from": "1900-01", "to": "2200-01"},
    ],
)
def test_monthly_rejects_bad_ranges_with_422(client, account, params):
    response = get(client, account, MONTHLY, **params)
    assert response.status_code == 422
    assert response.json()["status"] == 422


def test_currency_is_the_profiles(client, account):
    patched = client.patch("/api/v1/me", json={"currency": "EUR"}, headers=account.headers)
    assert patched.status_code == 200, patched.text
    assert get(client, account, MONTHLY).json()["currency"] == "EUR"
    assert get(client, account, BY_CATEGORY).json()["currency"] == "EUR"


def test_categories_largest_first_with_shares_summing_to_one(client, account):
    seed(
        client,
        account,
        "2025-02-10,Food,a,10.00,\n2025-02-11,Food,b,20.00,\n2025-02-28,Travel,c,10.00,\n"
        "2025-02-01,Bills,d,30.00,\n2025-03-01,Health,outside,1.00,\n",
    )
    body = get(client, account, BY_CATEGORY, **{"from": "2025-02-01", "to": "2025-02-28"}).json()
    assert body["total"] == "70.00"
    assert [(c["name"], c["total"], c["count"]) for c in body["categories"]] == [
        ("Bills", "30.00", 1),  # ties by name
        ("Food", "30.00", 2),
        ("Travel", "10.00", 1),
    ]
    shares_ = [c["share"] for c in body["categories"]]
    assert sum(shares_) == 1.0
    assert shares_[2] == pytest.approx(1 / 7)
    # A partial-month range reads the expense rows at its edges.
    edge = get(client, account, BY_CATEGORY, **{"from": "2025-02-11", "to": "2025-03-01"}).json()
    assert [(c["name"], c["total"]) for c in edge["categories"]] == [
        ("Food", "20.00"),
        ("Travel", "10.00"),
        ("Health", "1.00"),
    ]


def test_categories_default_to_the_current_month(client, account):
    # One row today and one on the 1st of next month: whichever month the server
    # finds current, even across a month boundary mid-test, holds exactly 4.00.
    today = datetime.now(UTC).date()
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    seed(
        client,
        account,
        f"{today},Food,now,4.00,\n{next_month},Food,soon,4.00,\n2000-01-01,Food,long ago,9.00,\n",
    )
    body = get(client, account, BY_CATEGORY).json()
    assert body["total"] == "4.00"
    assert body["categories"][0]["share"] == 1.0


def test_categories_with_nothing_spent_are_empty(client, account):
    body = get(client, account, BY_CATEGORY, **{"from": "1999-01-01", "to": "1999-12-31"}).json()
    assert body == {"currency": "USD", "total": "0.00", "categories": [], "unconverted": 0}


@pytest.mark.parametrize(
    "params", [{"from": "2025-03-02", "to": "2025-03-01"}, {"from": "2025-02-30"}]
)
def test_categories_rejects_bad_dates_with_422(client, account, params):
    assert get(client, account, BY_CATEGORY, **params).status_code == 422


def test_analytics_require_authentication(client):
    assert client.get(MONTHLY).status_code == 401
    assert client.get(BY_CATEGORY).status_code == 401


money = st.integers(1, 99_999_999_999).map(lambda cents: Decimal(cents).scaleb(-2))


@given(st.lists(money, min_size=1, max_size=40).map(lambda xs: sorted(xs, reverse=True)))
def test_shares_are_fractions_that_sum_to_exactly_one(totals):
    fractions = shares(totals)
    assert sum(fractions) == 1.0
    assert all(0.0 <= share <= 1.0 for share in fractions)
    grand = sum(totals)
    for total, share in zip(totals[:-1], fractions, strict=False):
        assert share == float(total / grand)


def test_shares_of_nothing_are_zero():
    assert shares([]) == []
    assert shares([Decimal("0.00")]) == [0.0]


@given(st.dates(), st.dates())
def test_split_range_covers_every_day_once(a, b):
    first, last = min(a, b), max(a, b)
    split = split_range(first, last)
    parts = [part for part in (split.head, split.tail) if part != (None, None)]
    if split.months != (None, None):
        start, end = split.months
        assert start.day == 1
        assert end.day == 1
        parts.append((start, month_end(month_index(end))))
    parts.sort()
    assert parts[0][0] == first
    assert parts[-1][1] == last
    for (_, end), (start, _) in itertools.pairwise(parts):
        assert start == end + timedelta(days=1)
    for start, end in (split.head, split.tail):
        if start is not None:
            assert month_index(start) == month_index(end)  # a part of one month


def test_extreme_ranges_are_answered(client, account):
    wide = {"from": "0001-01-01", "to": "9999-12-31"}
    assert get(client, account, BY_CATEGORY, **wide).status_code == 200
    months = get(client, account, MONTHLY, **{"from": "9900-01", "to": "9999-12"})
    assert len(months.json()["months"]) == 1200
    assert get(client, account, MONTHLY, **{"to": "0001-06"}).json()["months"][0]["month"] == (
        "0001-01"
    )
