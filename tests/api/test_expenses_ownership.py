"""PATCH validation, and another user's category: never a target, never a window."""

from __future__ import annotations

import pytest

from tests.api.helpers import add_expense, category_id, list_all

HEADER = "date,category,description,amount,notes,currency,base_amount,tags,split_group"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "0"),
        ("amount", "abc"),
        ("amount", "1000000000.00"),
        ("spent_on", "2026-13-01"),
        ("description", "x" * 501),
        ("notes", "x" * 2001),
        ("category_id", "a"),
        ("category_id", None),
    ],
)
def test_patch_with_an_invalid_field_is_422_names_it_and_changes_nothing(
    client, account, field, value
):
    expense = add_expense(client, account, description="before")
    url = f"/api/v1/expenses/{expense['id']}"
    response = client.patch(url, json={field: value}, headers=account.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert client.get(url, headers=account.headers).json() == expense


def test_moving_an_expense_into_another_users_category_is_refused(client, account, other_account):
    mine = add_expense(client, account, description="mine")
    their_food = category_id(client, other_account, "Food")
    url = f"/api/v1/expenses/{mine['id']}"
    response = client.patch(url, json={"category_id": their_food}, headers=account.headers)
    # The same answer as a category that does not exist: nothing about theirs leaks.
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "category_id"
    missing = client.patch(url, json={"category_id": 2**62}, headers=account.headers)
    assert missing.status_code == 422
    assert missing.json() == response.json()
    assert client.get(url, headers=account.headers).json() == mine
    filtered = {"category_id": their_food}
    assert list_all(client, other_account, **filtered) == []  # nothing moved into theirs
    summary = client.get("/api/v1/expenses/summary", params=filtered, headers=other_account.headers)
    assert summary.json()["count"] == 0


def test_another_users_category_as_a_filter_matches_nothing_of_anyone(
    client, account, other_account
):
    add_expense(client, account, description="mine", amount="4.00")
    add_expense(client, other_account, description="theirs", amount="9.00")
    their_food = category_id(client, other_account, "Food")
    params = {"category_id": their_food}
    assert list_all(client, account, **params) == []
    summary = client.get("/api/v1/expenses/summary", params=params, headers=account.headers)
    assert summary.status_code == 200
    assert summary.json() == {
        "count": 0,
        "total": "0.00",
        "average": None,
        "min": None,
        "max": None,
        "unconverted": 0,
        "currency": "USD",
    }
    export = client.get("/api/v1/expenses/export.csv", params=params, headers=account.headers)
    assert export.status_code == 200
    assert export.text.splitlines() == [HEADER]
    # The owner, with the same filter, sees their own row: the filter itself works.
    assert [e["description"] for e in list_all(client, other_account, **params)] == ["theirs"]
