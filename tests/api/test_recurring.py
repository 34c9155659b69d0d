"""Recurring expenses against the real server: plans, matching on create, posting an
occurrence, upcoming (on a fixed clock too), suggestions from a seeded history, and
two users kept apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

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


def test_days_is_bounded(client, account):
    for days in (0, 367, "x"):
        response = client.get(
            f"{RECURRING}/upcoming", params={"days": days}, headers=account.headers
        )
        assert response.status_code in (400, 422), days


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


def test_a_category_with_plans_and_no_reassign_is_409(client, account):
    made = client.post("/api/v1/categories", json={"name": "Gym"}, headers=account.headers)
    create(client, account, next_due="2026-03-05", category_id=made.json()["id"])
    response = client.delete(f"/api/v1/categories/{made.json()['id']}", headers=account.headers)
    assert response.status_code == 409


def test_a_payment_in_the_trash_pays_nothing_and_comes_back_unlinked_if_replaced(client, account):
    plan = create(client, account, next_due="2026-01-31", amount="900", description="Rent")
    path = f"{RECURRING}/{plan['id']}/post"
    first = client.post(path, json={"due": "2026-01-31"}, headers=account.headers).json()
    expenses = "/api/v1/expenses"
    assert client.delete(f"{expenses}/{first['id']}", headers=account.headers).status_code == 204
    # The occurrence is due again: it can be recorded anew.
    again = client.post(path, json={"due": "2026-01-31"}, headers=account.headers)
    assert again.status_code == 201, again.text
    restored = client.post(f"{expenses}/{first['id']}/restore", headers=account.headers)
    assert restored.status_code == 200, restored.text
    assert restored.json()["recurring_id"] is None  # the occurrence stays with the new one
    assert again.json()["recurring_id"] == plan["id"]
