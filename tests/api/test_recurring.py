"""Recurring expenses against the real server: plans, matching on create, posting an
occurrence, upcoming (on a fixed clock too), suggestions from a seeded history, and
two users kept apart."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import asyncpg
import pytest

from api.recurring import service
from tests.api.helpers import add_expense, category_id

RECURRING = "/api/v1/recurring"
TODAY = datetime.now(UTC).date()


def create(client, account, **body) -> dict:
    body.setdefault("category_id", category_id(client, account, "Entertainment"))
    body.setdefault("description", "Netflix")
    body.setdefault("amount", "15.00")
    response = client.post(RECURRING, json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    assert response.headers["Location"] == f"{RECURRING}/{response.json()['id']}"
    return response.json()


def get(client, account, plan: dict) -> dict:
    response = client.get(f"{RECURRING}/{plan['id']}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def upcoming(client, account, days: int = 30) -> list[dict]:
    response = client.get(f"{RECURRING}/upcoming", params={"days": days}, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_a_plan_has_the_contracts_fields_and_defaults(client, account):
    plan = create(client, account, next_due="2026-03-05", tags=["tv", "TV"])
    assert plan == {
        "id": plan["id"],
        "description": "Netflix",
        "amount": "15.00",
        "currency": "USD",
        "category_id": category_id(client, account, "Entertainment"),
        "tags": ["tv"],
        "every": "month",
        "interval": 1,
        "next_due": "2026-03-05",
        "ends": None,
        "amount_tolerance": 0.1,
        "day_tolerance": 3,
        "version": 1,
    }
    assert client.get(RECURRING, headers=account.headers).json() == {"items": [plan]}


@pytest.mark.parametrize(
    "body",
    [
        {"amount": "0"},
        {"amount": "-3.00"},
        {"interval": 0},
        {"interval": 367},
        {"every": "day"},
        {"ends": "2026-03-04"},
        {"description": "   "},
        {"currency": "usd"},
        {"currency": "ABC"},
        {"amount_tolerance": 1.5},
        {"day_tolerance": -1},
        {"category_id": 2**63},
        {"next_due": None},
    ],
)
def test_invalid_plans_are_422(client, account, body):
    full = {
        "description": "Netflix",
        "amount": "15.00",
        "category_id": category_id(client, account, "Entertainment"),
        "next_due": "2026-03-05",
        **body,
    }
    response = client.post(RECURRING, json=full, headers=account.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_an_expense_that_matches_is_linked_and_the_plan_advances(client, account):
    plan = create(client, account, next_due="2026-03-05")
    expense = add_expense(
        client,
        account,
        amount="15.99",
        spent_on="2026-03-07",
        description="NETFLIX.COM",
        category_id=category_id(client, account, "Other"),
    )
    assert expense["recurring_id"] == plan["id"]
    again = client.get(f"/api/v1/expenses/{expense['id']}", headers=account.headers).json()
    assert again["recurring_id"] == plan["id"]
    after = get(client, account, plan)
    assert (after["next_due"], after["amount"], after["version"]) == ("2026-04-05", "15.99", 2)
    # A second payment for the same month pays nothing: March is paid, April too far.
    twice = add_expense(
        client, account, amount="15.99", spent_on="2026-03-07", description="Netflix"
    )
    assert twice["recurring_id"] is None


def test_an_expense_outside_the_tolerances_is_not_linked(client, account):
    plan = create(client, account, next_due="2026-03-05", day_tolerance=1, amount_tolerance=0.05)
    entertainment = category_id(client, account, "Entertainment")
    for amount, day in [("15.00", "2026-03-07"), ("15.76", "2026-03-05")]:
        expense = add_expense(
            client, account, amount=amount, spent_on=day, category_id=entertainment
        )
        assert expense["recurring_id"] is None
    exact = add_expense(
        client, account, amount="15.75", spent_on="2026-03-06", category_id=entertainment
    )
    assert exact["recurring_id"] == plan["id"]


def test_the_closest_due_date_wins_between_two_plans_and_ties_by_id(client, account):
    first = create(client, account, description="Gym A", next_due="2026-05-01")
    second = create(client, account, description="Gym B", next_due="2026-05-03")
    entertainment = category_id(client, account, "Entertainment")
    tie = add_expense(
        client, account, spent_on="2026-05-02", category_id=entertainment, amount="15.00"
    )
    assert tie["recurring_id"] == first["id"]  # one day from each: the lower id
    closer = add_expense(
        client, account, spent_on="2026-05-03", category_id=entertainment, amount="15.00"
    )
    assert closer["recurring_id"] == second["id"]


def test_posting_an_occurrence_records_a_linked_expense(client, account):
    plan = create(
        client,
        account,
        next_due="2026-01-31",
        tags=["home"],
        amount="900",
        description="Rent",
        category_id=category_id(client, account, "Bills"),
    )
    path = f"{RECURRING}/{plan['id']}/post"
    response = client.post(path, json={"due": "2026-01-31"}, headers=account.headers)
    assert response.status_code == 201, response.text
    expense = response.json()
    assert response.headers["Location"] == f"/api/v1/expenses/{expense['id']}"
    assert (expense["amount"], expense["spent_on"], expense["description"], expense["tags"]) == (
        "900.00",
        "2026-01-31",
        "Rent",
        ["home"],
    )
    assert expense["recurring_id"] == plan["id"]
    assert get(client, account, plan)["next_due"] == "2026-02-28"
    assert client.post(path, json={"due": "2026-01-31"}, headers=account.headers).status_code == 409
    # A later occurrence may be recorded ahead; next_due stays on the open February.
    assert client.post(path, json={"due": "2026-03-31"}, headers=account.headers).status_code == 201
    assert get(client, account, plan)["next_due"] == "2026-02-28"
    for wrong in ("2026-02-27", "2025-12-31"):
        response = client.post(path, json={"due": wrong}, headers=account.headers)
        assert response.status_code == 422, wrong


def test_upcoming_lists_overdue_first_then_expected_and_paid(client, account):
    bills = category_id(client, account, "Bills")
    late = create(
        client,
        account,
        description="Rent",
        amount="900",
        category_id=bills,
        next_due=str(TODAY - timedelta(days=10)),
    )
    soon = create(
        client,
        account,
        description="Phone",
        amount="20",
        category_id=bills,
        next_due=str(TODAY + timedelta(days=2)),
        every="week",
    )
    # Phone's first occurrence paid early, at a new price.
    paid = add_expense(
        client,
        account,
        amount="21.00",
        spent_on=str(TODAY),
        category_id=bills,
        description="Phone bill",
    )
    assert paid["recurring_id"] == soon["id"]
    items = upcoming(client, account, days=14)
    summary = [(i["recurring_id"], i["due"], i["status"]) for i in items]
    assert summary == [
        (late["id"], str(TODAY - timedelta(days=10)), "overdue"),
        (soon["id"], str(TODAY + timedelta(days=2)), "paid"),
        (soon["id"], str(TODAY + timedelta(days=9)), "expected"),
    ]
    assert items[1]["expense_id"] == paid["id"]
    assert items[1]["amount"] == "21.00"
    assert (items[2]["amount"], items[2]["previous_amount"]) == ("21.00", "20.00")
    assert items[0]["previous_amount"] is None
    assert items[0]["currency"] == "USD"


def test_upcoming_on_a_fixed_clock(client, account, database_url):
    create(client, account, next_due="2026-01-10", every="month", ends="2026-04-10")

    async def run(today: date, days: int) -> list:
        conn = await asyncpg.connect(database_url)
        try:
            return await service.upcoming(conn, account.profile["id"], today, days)
        finally:
            await conn.close()

    items = asyncio.run(run(date(2026, 3, 1), 60))
    assert [(i.due, i.status) for i in items] == [
        (date(2026, 1, 10), "overdue"),
        (date(2026, 2, 10), "overdue"),
        (date(2026, 3, 10), "expected"),
        (date(2026, 4, 10), "expected"),  # and none after `ends`
    ]
    assert asyncio.run(run(date(2026, 1, 1), 5)) == []


def test_days_is_bounded(client, account):
    for days in (0, 367, "x"):
        response = client.get(
            f"{RECURRING}/upcoming", params={"days": days}, headers=account.headers
        )
        assert response.status_code in (400, 422), days


def test_suggestions_come_from_a_regular_history(client, account):
    entertainment = category_id(client, account, "Entertainment")
    last = TODAY - timedelta(days=5)
    ids = []
    for weeks in (15, 10, 5, 0):  # every 5 weeks: not a period we suggest
        add_expense(
            client,
            account,
            amount="7.00",
            description="Cinema",
            spent_on=str(last - timedelta(weeks=weeks)),
            category_id=entertainment,
        )
    for months_back in (3, 2, 1, 0):
        day = date(last.year, last.month, min(last.day, 28))
        year, month = divmod(day.month - 1 - months_back, 12)
        day = day.replace(year=day.year + year, month=month + 1)
        expense = add_expense(
            client,
            account,
            amount="9.99",
            description=" Spotify  Premium",
            spent_on=str(day),
            category_id=entertainment,
        )
        ids.append(expense["id"])
    response = client.get(f"{RECURRING}/suggestions", headers=account.headers)
    assert response.status_code == 200, response.text
    [found] = response.json()["items"]
    assert (found["description"], found["every"], found["interval"]) == (
        "Spotify  Premium",
        "month",
        1,
    )
    assert (found["amount"], found["currency"], found["category_id"]) == (
        "9.99",
        "USD",
        entertainment,
    )
    assert found["expense_ids"] == ids
    # Once planned, it is no longer suggested.
    create(client, account, description="spotify", amount="9.99", next_due=found["next_due"])
    assert client.get(f"{RECURRING}/suggestions", headers=account.headers).json()["items"] == []


def test_patch_delete_and_if_match(client, account):
    plan = create(client, account, next_due="2026-03-05")
    path = f"{RECURRING}/{plan['id']}"
    stale = client.patch(path, json={"amount": "9"}, headers={**account.headers, "If-Match": '"9"'})
    assert stale.status_code == 412
    changed = client.patch(
        path,
        json={"amount": "9", "ends": "2026-12-31", "interval": 2},
        headers={**account.headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["amount"], changed.json()["interval"], changed.json()["version"]) == (
        "9.00",
        2,
        2,
    )
    cleared = client.patch(path, json={"ends": None}, headers=account.headers).json()
    assert cleared["ends"] is None
    bad = client.patch(path, json={"ends": "2026-01-01"}, headers=account.headers)
    assert bad.status_code == 422
    expense = add_expense(
        client, account, amount="9.00", spent_on="2026-03-05", description="Netflix"
    )
    assert expense["recurring_id"] == plan["id"]
    assert client.delete(path, headers=account.headers).status_code == 204
    assert client.get(path, headers=account.headers).status_code == 404
    kept = client.get(f"/api/v1/expenses/{expense['id']}", headers=account.headers).json()
    assert kept["recurring_id"] is None


def test_a_category_with_plans_moves_them_when_deleted_with_reassign(client, account):
    made = client.post("/api/v1/categories", json={"name": "Streaming"}, headers=account.headers)
    plan = create(client, account, next_due="2026-03-05", category_id=made.json()["id"])
    other = category_id(client, account, "Other")
    response = client.delete(
        f"/api/v1/categories/{made.json()['id']}",
        params={"reassign_to": other},
        headers=account.headers,
    )
    assert response.status_code == 204, response.text
    assert get(client, account, plan)["category_id"] == other


def test_another_users_recurring_is_404_everywhere(client, account, other_account):
    plan = create(client, account, next_due="2026-03-05")
    path = f"{RECURRING}/{plan['id']}"
    theirs = other_account.headers
    assert client.get(path, headers=theirs).status_code == 404
    assert client.patch(path, json={"amount": "1"}, headers=theirs).status_code == 404
    assert client.delete(path, headers=theirs).status_code == 404
    posted = client.post(f"{path}/post", json={"due": "2026-03-05"}, headers=theirs)
    assert posted.status_code == 404
    assert client.get(RECURRING, headers=theirs).json() == {"items": []}
    assert upcoming(client, other_account, 366) == []
    # Their identical expense does not pay my plan; my category is not theirs to use.
    expense = add_expense(
        client, other_account, amount="15.00", spent_on="2026-03-05", description="Netflix"
    )
    assert expense["recurring_id"] is None
    stolen = client.post(
        RECURRING,
        json={
            "description": "x",
            "amount": "1",
            "next_due": "2026-03-05",
            "category_id": plan["category_id"],
        },
        headers=theirs,
    )
    assert stolen.status_code == 422
    assert get(client, account, plan)["version"] == 1


def test_imported_expenses_are_matched_in_date_order(client, account):
    plan = create(
        client,
        account,
        description="Gym",
        amount="30.00",
        next_due="2026-01-15",
        category_id=category_id(client, account, "Health"),
    )
    csv = (
        "date,category,description,amount,notes\n"
        "2026-02-14,Health,GYM MEMBERSHIP,30.00,\n"
        "2026-01-16,Health,Gym membership,30.00,\n"
        "2026-01-17,Health,Gym towel,5.00,\n"
    )
    response = client.post(
        "/api/v1/expenses/import",
        content=csv.encode(),
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    linked = {
        (item["spent_on"], item["recurring_id"])
        for item in client.get(
            "/api/v1/expenses", params={"q": "gym"}, headers=account.headers
        ).json()["items"]
    }
    assert linked == {
        ("2026-01-16", plan["id"]),
        ("2026-02-14", plan["id"]),
        ("2026-01-17", None),
    }
    assert get(client, account, plan)["next_due"] == "2026-03-15"
