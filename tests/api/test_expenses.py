import concurrent.futures
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.api.helpers import add_expense, category_id, list_all


def test_create_returns_the_expense_and_its_location(client, account):
    food = category_id(client, account)
    response = client.post(
        "/api/v1/expenses",
        json={
            "amount": 12.5,
            "category_id": food,
            "spent_on": "2026-02-01",
            "description": " Lunch ",
        },
        headers=account.headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert response.headers["location"] == f"/api/v1/expenses/{body['id']}"
    assert body["amount"] == "12.50"
    assert (body["category"], body["description"], body["notes"]) == ("Food", "Lunch", "")
    assert body["version"] == 1
    assert body["created_at"].endswith("Z")


@pytest.mark.parametrize(
    "amount",
    [
        "0",
        "0.00",
        "-0",
        "-0.00",
        "1.001",
        "-1000000000.00",
        "NaN",
        "Infinity",
        "1000000000.00",
        "abc",
        True,
        None,
    ],
)
def test_invalid_amounts_are_422(client, account, amount):
    response = client.post(
        "/api/v1/expenses",
        json={
            "amount": amount,
            "category_id": category_id(client, account),
            "spent_on": "2026-01-01",
        },
        headers=account.headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "amount"


def test_the_largest_amount_is_accepted(client, account):
    assert add_expense(client, account, amount="999999999.99")["amount"] == "999999999.99"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("spent_on", "2026-13-01"),
        ("description", "x" * 501),
        ("notes", "x" * 2001),
        ("category_id", "a"),
    ],
)
def test_invalid_fields_are_422_and_named(client, account, field, value):
    body = {"amount": "1.00", "category_id": category_id(client, account), "spent_on": "2026-01-01"}
    body[field] = value
    response = client.post("/api/v1/expenses", json=body, headers=account.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_get_has_an_etag_and_patch_honours_if_match(client, account):
    expense = add_expense(client, account)
    url = f"/api/v1/expenses/{expense['id']}"
    got = client.get(url, headers=account.headers)
    assert got.headers["etag"] == '"1"'
    changed = client.patch(
        url, json={"amount": "20"}, headers={**account.headers, "If-Match": '"1"'}
    )
    assert changed.status_code == 200
    assert (changed.json()["amount"], changed.json()["version"]) == ("20.00", 2)
    assert changed.headers["etag"] == '"2"'
    stale = client.patch(url, json={"amount": "30"}, headers={**account.headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert client.get(url, headers=account.headers).json()["amount"] == "20.00"


def test_patch_without_if_match_updates_and_bumps_version(client, account):
    expense = add_expense(client, account, description="before")
    bills = category_id(client, account, "Bills")
    response = client.patch(
        f"/api/v1/expenses/{expense['id']}",
        json={"description": "after", "category_id": bills, "spent_on": "2025-12-31"},
        headers=account.headers,
    )
    body = response.json()
    assert (body["description"], body["category"], body["spent_on"]) == (
        "after",
        "Bills",
        "2025-12-31",
    )
    assert body["version"] == 2
    assert body["updated_at"] >= expense["updated_at"]


def test_delete_then_404(client, account):
    expense = add_expense(client, account)
    url = f"/api/v1/expenses/{expense['id']}"
    assert client.delete(url, headers=account.headers).status_code == 204
    assert client.get(url, headers=account.headers).status_code == 404
    assert client.delete(url, headers=account.headers).status_code == 404


def test_another_users_expense_is_404_on_every_route(client, account, other_account):
    theirs = add_expense(client, other_account)
    url = f"/api/v1/expenses/{theirs['id']}"
    assert client.get(url, headers=account.headers).status_code == 404
    assert client.patch(url, json={"amount": "1"}, headers=account.headers).status_code == 404
    assert client.delete(url, headers=account.headers).status_code == 404
    assert list_all(client, account) == []
    assert client.get("/api/v1/expenses/summary", headers=account.headers).json()["count"] == 0
    export = client.get("/api/v1/expenses/export.csv", headers=account.headers)
    assert export.text.strip().splitlines() == [
        "date,category,description,amount,notes,currency,base_amount,tags,split_group"
    ]
    assert client.get(url, headers=other_account.headers).json()["amount"] == theirs["amount"]


def test_pagination_walks_every_row_once_newest_first_with_ties(client, account):
    created = [add_expense(client, account, spent_on=f"2026-01-0{1 + i % 3}") for i in range(12)]
    items = list_all(client, account, limit=5)
    assert len(items) == 12
    assert {item["id"] for item in items} == {e["id"] for e in created}
    keys = [(item["spent_on"], item["id"]) for item in items]
    assert keys == sorted(keys, reverse=True)


def test_limit_bounds_and_bad_cursors_are_422(client, account, other_account):
    for limit in (0, 501, "x"):
        response = client.get("/api/v1/expenses", params={"limit": limit}, headers=account.headers)
        assert response.status_code == 422
    for _ in range(3):
        add_expense(client, account)
    cursor = client.get("/api/v1/expenses", params={"limit": 1}, headers=account.headers).json()[
        "next_cursor"
    ]
    tampered = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
    for bad in (tampered, "not-a-cursor", "!!!"):
        response = client.get("/api/v1/expenses", params={"cursor": bad}, headers=account.headers)
        assert response.status_code == 422
    stolen = client.get(
        "/api/v1/expenses", params={"cursor": cursor}, headers=other_account.headers
    )
    assert stolen.status_code == 422


@pytest.fixture
def ledger(client, account):
    food, bills = category_id(client, account), category_id(client, account, "Bills")
    rows = [
        ("2026-01-10", food, "5.00", "Coffee beans", ""),
        ("2026-01-31", bills, "80.00", "Electricity", "January bill"),
        ("2026-02-01", food, "42.50", "Groceries", "weekly SHOP"),
        ("2026-02-14", food, "120.00", "Dinner", "Valentine's"),
        ("2026-03-01", bills, "60.25", "Water", ""),
    ]
    for spent_on, category, amount, description, notes in rows:
        add_expense(
            client,
            account,
            spent_on=spent_on,
            category_id=category,
            amount=amount,
            description=description,
            notes=notes,
        )
    return {"food": food, "bills": bills}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Water", "Dinner", "Groceries", "Electricity", "Coffee beans"]),
        ({"from": "2026-02-01"}, ["Water", "Dinner", "Groceries"]),
        ({"to": "2026-01-31"}, ["Electricity", "Coffee beans"]),
        ({"from": "2026-02-01", "to": "2026-02-01"}, ["Groceries"]),
        ({"category": "bills"}, ["Water", "Electricity"]),
        ({"q": "shop"}, ["Groceries"]),
        ({"q": "BILL"}, ["Electricity"]),
        ({"q": "%"}, []),
        ({"min_amount": "60.25"}, ["Water", "Dinner", "Electricity"]),
        ({"max_amount": "42.50"}, ["Groceries", "Coffee beans"]),
        ({"category": "food", "from": "2026-02-01", "min_amount": "50"}, ["Dinner"]),
    ],
)
def test_filters_alone_and_combined(client, account, ledger, params, expected):
    params = dict(params)
    if "category" in params:
        params["category_id"] = ledger[params.pop("category")]
    items = list_all(client, account, limit=2, **params)
    assert [item["description"] for item in items] == expected
    summary = client.get("/api/v1/expenses/summary", params=params, headers=account.headers).json()
    amounts = [Decimal(item["amount"]) for item in items]
    assert summary["count"] == len(items)
    assert Decimal(summary["total"]) == sum(amounts, Decimal("0"))
    if amounts:
        assert Decimal(summary["min"]) == min(amounts)
        assert Decimal(summary["max"]) == max(amounts)
        exact_mean = sum(amounts) / len(amounts)
        assert Decimal(summary["average"]) == exact_mean.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_empty_summary_has_zero_total_and_nulls(client, account):
    summary = client.get("/api/v1/expenses/summary", headers=account.headers).json()
    assert summary == {
        "count": 0,
        "total": "0.00",
        "average": None,
        "min": None,
        "max": None,
        "unconverted": 0,
        "currency": "USD",
    }


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-02-02", "to": "2026-02-01"},
        {"from": "yesterday"},
        {"max_amount": "1.234"},
        {"min_amount": "5", "max_amount": "1"},
        {"category_id": "x"},
    ],
)
def test_bad_filters_are_422(client, account, params):
    for path in ("/api/v1/expenses", "/api/v1/expenses/summary", "/api/v1/expenses/export.csv"):
        response = client.get(path, params=params, headers=account.headers)
        assert response.status_code == 422, (path, params, response.text)


def test_idempotency_key_replays_the_first_answer(client, account):
    body = {"amount": "7.00", "category_id": category_id(client, account), "spent_on": "2026-04-01"}
    headers = {**account.headers, "Idempotency-Key": "order-1"}
    first = client.post("/api/v1/expenses", json=body, headers=headers)
    again = client.post("/api/v1/expenses", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert len(list_all(client, account)) == 1
    different = client.post("/api/v1/expenses", json={**body, "amount": "8.00"}, headers=headers)
    assert different.status_code == 409


def test_idempotency_keys_are_per_user(client, account, other_account):
    for who in (account, other_account):
        body = {"amount": "7.00", "category_id": category_id(client, who), "spent_on": "2026-04-01"}
        response = client.post(
            "/api/v1/expenses", json=body, headers={**who.headers, "Idempotency-Key": "shared"}
        )
        assert response.status_code == 201
    assert len(list_all(client, account)) == len(list_all(client, other_account)) == 1


def test_a_failed_create_does_not_burn_its_idempotency_key(client, account):
    headers = {**account.headers, "Idempotency-Key": "retry-me"}
    body = {"amount": "7.00", "category_id": 10**9, "spent_on": "2026-04-01"}
    assert client.post("/api/v1/expenses", json=body, headers=headers).status_code == 422
    body["category_id"] = category_id(client, account)
    assert client.post("/api/v1/expenses", json=body, headers=headers).status_code == 201


def test_concurrent_requests_with_one_key_create_one_expense(client, account, api_url):
    import httpx

    body = {"amount": "9.99", "category_id": category_id(client, account), "spent_on": "2026-04-02"}
    headers = {**account.headers, "Idempotency-Key": "concurrent"}

    def post() -> httpx.Response:
        with httpx.Client(base_url=api_url, timeout=30) as own:
            return own.post("/api/v1/expenses", json=body, headers=headers)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: post(), range(8)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert len(list_all(client, account)) == 1
