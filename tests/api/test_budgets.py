"""Budgets against the real server: every figure of a status is computed by hand below.

Food (rollover, 100.00 from 2026-01), Bills (no rollover, 50.00 from 2026-02) and all
spending (rollover, 300.00 from 2026-02), over these expenses (base currency USD):

    month    Food                    Bills          spent, all
    2025-12  500.00 (before starts)  -              -
    2026-01  80.00 + 30.00 = 110.00  70.00          180.00
    2026-02  50.00 - 20.00 = 30.00   20.00          50.00
    2026-03  -                       60.00          60.00
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import asyncpg
import pytest

from api.budgets import service
from tests.api.helpers import add_expense, category_id

BUDGETS = "/api/v1/budgets"


def create(client, account, **body) -> dict:
    response = client.post(BUDGETS, json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"{BUDGETS}/{response.json()['id']}"
    return response.json()


def status(client, account, month: str | None = None) -> dict:
    params = {"month": month} if month else {}
    response = client.get(f"{BUDGETS}/status", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def lines(body: dict) -> dict[str, dict]:
    return {line["name"]: line for line in body["budgets"]}


@pytest.fixture
def seeded(client, account) -> dict[str, int]:
    food, bills = category_id(client, account, "Food"), category_id(client, account, "Bills")
    for amount, day, category in [
        ("500.00", "2025-12-10", food),
        ("80.00", "2026-01-05", food),
        ("30.00", "2026-01-25", food),
        ("70.00", "2026-01-06", bills),
        ("20.00", "2026-02-06", bills),
        ("60.00", "2026-03-06", bills),
    ]:
        add_expense(client, account, amount=amount, spent_on=day, category_id=category)
    groceries = add_expense(
        client, account, amount="50.00", spent_on="2026-02-02", category_id=food
    )
    add_expense(
        client,
        account,
        amount="-20.00",
        spent_on="2026-02-20",
        category_id=food,
        refund_of=groceries["id"],
    )
    create(client, account, category_id=food, amount="100.00", rollover=True, starts="2026-01")
    create(client, account, category_id=bills, amount=50, starts="2026-02")
    create(client, account, amount="300", rollover=True, starts="2026-02")
    return {"food": food, "bills": bills}


def test_the_first_month_of_a_rollover_budget_carries_nothing(client, account, seeded):
    body = status(client, account, "2026-01")
    assert (body["currency"], body["month"], body["unconverted"]) == ("USD", "2026-01", 0)
    # Bills and all spending start in February: not listed in January.
    assert list(lines(body)) == ["Food"]
    assert lines(body)["Food"] == {
        "budget_id": lines(body)["Food"]["budget_id"],
        "category_id": seeded["food"],
        "name": "Food",
        "limit": "100.00",
        "carried": "0.00",
        "available": "100.00",
        "spent": "110.00",
        "remaining": "-10.00",
        "projected": "110.00",
    }


def test_overspending_is_carried_and_refunds_net(client, account, seeded):
    february = lines(status(client, account, "2026-02"))
    food = february["Food"]
    # carried = 100 - 110 = -10; spent = 50 - 20 = 30 (the refund nets)
    assert (food["carried"], food["available"], food["spent"], food["remaining"]) == (
        "-10.00",
        "90.00",
        "30.00",
        "60.00",
    )
    bills = february["Bills"]
    assert (bills["carried"], bills["available"], bills["spent"], bills["remaining"]) == (
        "0.00",
        "50.00",
        "20.00",
        "30.00",
    )
    everything = february["All spending"]
    assert everything["category_id"] is None
    assert (everything["carried"], everything["spent"], everything["remaining"]) == (
        "0.00",
        "50.00",
        "250.00",
    )


def test_rollover_sums_every_month_since_starts_and_without_rollover_nothing(
    client, account, seeded
):
    march = lines(status(client, account, "2026-03"))
    # Food: (100 - 110) + (100 - 30) = 60 carried, nothing spent in March.
    assert (march["Food"]["carried"], march["Food"]["available"], march["Food"]["spent"]) == (
        "60.00",
        "160.00",
        "0.00",
    )
    # Bills has no rollover: February's 30.00 left over is not carried.
    assert (march["Bills"]["carried"], march["Bills"]["remaining"]) == ("0.00", "-10.00")
    # All spending: 300 - 50 = 250 carried; 60 spent.
    assert (march["All spending"]["available"], march["All spending"]["remaining"]) == (
        "550.00",
        "490.00",
    )
    # December 2025 is before every budget: nothing listed, and its 500.00 is never carried.
    assert status(client, account, "2025-12")["budgets"] == []


def test_changing_starts_moves_the_carried_sum(client, account, seeded):
    food = next(
        b
        for b in client.get(BUDGETS, headers=account.headers).json()["items"]
        if b["category_id"] == seeded["food"]
    )
    response = client.patch(
        f"{BUDGETS}/{food['id']}", json={"starts": "2026-02"}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    # From February only: 100 - 30 = 70.
    assert lines(status(client, account, "2026-03"))["Food"]["carried"] == "70.00"


def test_a_month_long_after_counts_every_month_between(client, account, seeded):
    # Food in 2026-12: 11 months from January: 11 x 100 - 140 = 960.
    assert lines(status(client, account, "2026-12"))["Food"]["carried"] == "960.00"


def test_projection_on_a_fixed_clock(client, account, seeded, database_url):
    async def run() -> dict:
        conn = await asyncpg.connect(database_url)
        try:
            return await service.status(
                conn, account.profile["id"], date(2026, 2, 1), today=date(2026, 2, 14)
            )
        finally:
            await conn.close()

    result = {line.name: line for line in asyncio.run(run()).budgets}
    # Food: 30.00 in 14 of 28 days → 60.00; Bills: 20.00 → 40.00.
    assert str(result["Food"].projected) == "60.00"
    assert str(result["Bills"].projected) == "40.00"


def test_the_default_month_is_the_current_one(client, account):
    create(client, account, amount="10.00")
    body = status(client, account)
    assert body["month"] == datetime.now(UTC).strftime("%Y-%m")
    assert len(body["budgets"]) == 1


def test_split_parts_count_under_their_categories(client, account):
    food, bills = category_id(client, account, "Food"), category_id(client, account, "Bills")
    create(client, account, category_id=food, amount="100.00", starts="2026-03")
    create(client, account, category_id=bills, amount="100.00", starts="2026-03")
    create(client, account, amount="500.00", starts="2026-03")
    add_expense(
        client,
        account,
        amount="90.00",
        spent_on="2026-03-03",
        splits=[
            {"category_id": food, "amount": "60.00"},
            {"category_id": bills, "amount": "30.00"},
        ],
    )
    march = lines(status(client, account, "2026-03"))
    assert (march["Food"]["spent"], march["Bills"]["spent"]) == ("60.00", "30.00")
    assert march["All spending"]["spent"] == "90.00"


def test_unconverted_expenses_are_counted_and_left_out(client, account):
    food = category_id(client, account, "Food")
    create(client, account, category_id=food, amount="100.00", starts="2026-03")
    create(client, account, amount="900.00", starts="2026-03")  # reads the same rows
    add_expense(client, account, amount="10.00", spent_on="2026-03-03", category_id=food)
    # No rate is known for this currency on that day in the test database.
    add_expense(
        client, account, amount="99.00", spent_on="2026-03-04", category_id=food, currency="JPY"
    )
    body = status(client, account, "2026-03")
    assert body["unconverted"] == 1  # counted once, though two budgets read it
    assert lines(body)["Food"]["spent"] == "10.00"
    assert lines(body)["All spending"]["spent"] == "10.00"
    # A month no budget reads counts nothing.
    assert status(client, account, "2026-04")["unconverted"] == 0


def test_one_budget_per_category_and_one_for_all_spending(client, account):
    food = category_id(client, account, "Food")
    create(client, account, category_id=food, amount="1")
    create(client, account, amount="1")
    for body in ({"category_id": food, "amount": "2"}, {"amount": "2", "category_id": None}):
        response = client.post(BUDGETS, json=body, headers=account.headers)
        assert response.status_code == 409, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    bills = create(client, account, category_id=category_id(client, account, "Bills"), amount=3)
    moved = client.patch(
        f"{BUDGETS}/{bills['id']}", json={"category_id": food}, headers=account.headers
    )
    assert moved.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"amount": "0"},
        {"amount": "-5.00"},
        {"amount": "1.005"},
        {"amount": "1e3"},
        {"amount": "1000000000.00"},
        {"amount": "5", "starts": "2026-13"},
        {"amount": "5", "starts": "0000-01"},
        {"amount": "5", "starts": "2026-1"},
        {"amount": "5", "category_id": 0},
        {"amount": "5", "category_id": 2**63},
        {"amount": "5", "rollover": "yes"},
        {"amount": "5", "color": "#ffffff"},
        {},
    ],
)
def test_invalid_budgets_are_422(client, account, body):
    response = client.post(BUDGETS, json=body, headers=account.headers)
    assert response.status_code == 422, response.text


def test_crud_round_trip_with_if_match(client, account):
    made = create(client, account, amount="12.50", starts="2026-05")
    assert made == {
        "id": made["id"],
        "category_id": None,
        "amount": "12.50",
        "rollover": False,
        "starts": "2026-05",
        "version": 1,
    }
    one = client.get(f"{BUDGETS}/{made['id']}", headers=account.headers)
    assert (one.status_code, one.headers["ETag"], one.json()) == (200, '"1"', made)
    stale = client.patch(
        f"{BUDGETS}/{made['id']}",
        json={"amount": "20"},
        headers={**account.headers, "If-Match": '"7"'},
    )
    assert stale.status_code == 412
    changed = client.patch(
        f"{BUDGETS}/{made['id']}",
        json={"amount": "20", "rollover": True},
        headers={**account.headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 200
    assert (changed.json()["amount"], changed.json()["rollover"], changed.json()["version"]) == (
        "20.00",
        True,
        2,
    )
    assert client.get(BUDGETS, headers=account.headers).json() == {"items": [changed.json()]}
    same = client.patch(f"{BUDGETS}/{made['id']}", json={}, headers=account.headers)
    assert (same.status_code, same.json()) == (200, changed.json())
    assert client.delete(f"{BUDGETS}/{made['id']}", headers=account.headers).status_code == 204
    assert client.get(f"{BUDGETS}/{made['id']}", headers=account.headers).status_code == 404


def test_another_users_budget_is_404_everywhere(client, account, other_account):
    food = category_id(client, account, "Food")
    mine = create(client, account, category_id=food, amount="10")
    path = f"{BUDGETS}/{mine['id']}"
    theirs = other_account.headers
    assert client.get(path, headers=theirs).status_code == 404
    assert client.patch(path, json={"amount": "1"}, headers=theirs).status_code == 404
    assert client.delete(path, headers=theirs).status_code == 404
    assert client.get(BUDGETS, headers=theirs).json() == {"items": []}
    assert status(client, other_account, "2026-11")["budgets"] == []
    # My category is not theirs to budget.
    response = client.post(BUDGETS, json={"category_id": food, "amount": "1"}, headers=theirs)
    assert response.status_code == 422
    assert client.get(path, headers=account.headers).json()["version"] == 1


def test_out_of_range_ids_and_bad_months_are_4xx(client, account):
    assert client.get(f"{BUDGETS}/{2**63}", headers=account.headers).status_code == 404
    assert client.get(f"{BUDGETS}/0", headers=account.headers).status_code == 404
    for month in ("2026-00", "26-01", "2026-01-01", "x"):
        response = client.get(f"{BUDGETS}/status", params={"month": month}, headers=account.headers)
        assert response.status_code == 422, month
