"""Refunds: negative amounts, ``refund_of`` and its checks, the CSV round trip (API.md)."""

from __future__ import annotations

import pytest

from tests.api.helpers import add_expense, category_id, list_all

EXPENSES = "/api/v1/expenses"
HEADER = "date,category,description,amount,notes\n"
ID_BEYOND_RANGE = 2**63


def refused_field(response) -> str:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()["errors"][0]["field"]


def test_a_negative_amount_is_a_refund_that_can_name_its_expense(client, account):
    shoes = add_expense(client, account, amount="80.00", description="Shoes")
    refund = add_expense(client, account, amount="-80", refund_of=shoes["id"])
    assert (refund["amount"], refund["refund_of"]) == ("-80.00", shoes["id"])
    assert shoes["refund_of"] is None
    fetched = client.get(f"{EXPENSES}/{refund['id']}", headers=account.headers).json()
    assert fetched["refund_of"] == shoes["id"]


def test_refund_of_is_changed_kept_and_cleared_by_patch(client, account):
    first = add_expense(client, account, amount="10.00")
    second = add_expense(client, account, amount="20.00")
    refund = add_expense(client, account, amount="-5.00", refund_of=first["id"])
    url = f"{EXPENSES}/{refund['id']}"
    moved = client.patch(url, json={"refund_of": second["id"]}, headers=account.headers)
    assert moved.json()["refund_of"] == second["id"]
    kept = client.patch(url, json={"description": "Partial refund"}, headers=account.headers)
    assert kept.json()["refund_of"] == second["id"]
    cleared = client.patch(url, json={"refund_of": None}, headers=account.headers)
    assert cleared.status_code == 200
    assert cleared.json()["refund_of"] is None


def test_refund_of_another_users_expense_is_422(client, account, other_account):
    theirs = add_expense(client, other_account, amount="50.00")
    body = {"amount": "-5.00", "category_id": category_id(client, account)}
    body |= {"spent_on": "2026-03-01", "refund_of": theirs["id"]}
    assert refused_field(client.post(EXPENSES, json=body, headers=account.headers)) == "refund_of"
    mine = add_expense(client, account, amount="-5.00")
    response = client.patch(
        f"{EXPENSES}/{mine['id']}", json={"refund_of": theirs["id"]}, headers=account.headers
    )
    assert refused_field(response) == "refund_of"


@pytest.mark.parametrize("target", ["negative", "trashed", "unknown", "beyond range"])
def test_refund_of_must_name_a_live_positive_expense(client, account, target):
    if target == "negative":
        target_id = add_expense(client, account, amount="-1.00")["id"]
    elif target == "trashed":
        target_id = add_expense(client, account, amount="1.00")["id"]
        deleted = client.delete(f"{EXPENSES}/{target_id}", headers=account.headers)
        assert deleted.status_code == 204
    elif target == "unknown":
        gone = add_expense(client, account, amount="1.00")["id"]
        purged = client.delete(f"{EXPENSES}/{gone}?purge=true", headers=account.headers)
        assert purged.status_code == 204
        target_id = gone
    else:
        target_id = ID_BEYOND_RANGE
    before = list_all(client, account)
    body = {"amount": "-1.00", "category_id": category_id(client, account)}
    body |= {"spent_on": "2026-03-01", "refund_of": target_id}
    assert refused_field(client.post(EXPENSES, json=body, headers=account.headers)) == "refund_of"
    assert list_all(client, account) == before  # nothing written


def test_an_expense_cannot_refund_itself(client, account):
    expense = add_expense(client, account, amount="15.00")
    response = client.patch(
        f"{EXPENSES}/{expense['id']}", json={"refund_of": expense["id"]}, headers=account.headers
    )
    assert refused_field(response) == "refund_of"


def test_purging_the_refunded_expense_unlinks_its_refunds(client, account):
    target = add_expense(client, account, amount="30.00")
    refund = add_expense(client, account, amount="-30.00", refund_of=target["id"])
    purge = client.delete(f"{EXPENSES}/{target['id']}?purge=true", headers=account.headers)
    assert purge.status_code == 204
    after = client.get(f"{EXPENSES}/{refund['id']}", headers=account.headers).json()
    assert (after["amount"], after["refund_of"]) == ("-30.00", None)


def test_a_negative_amount_survives_export_and_import(client, account, other_account):
    add_expense(client, account, amount="-12.50", description="Refund", spent_on="2025-04-01")
    exported = client.get(f"{EXPENSES}/export.csv", headers=account.headers)
    assert exported.status_code == 200
    assert '2025-04-01,Food,Refund,-12.50,"",USD,-12.50,,' in exported.text.splitlines()
    response = client.post(
        f"{EXPENSES}/import",
        content=exported.content,
        headers={**other_account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    [item] = list_all(client, other_account)
    assert (item["amount"], item["description"], item["spent_on"]) == (
        "-12.50",
        "Refund",
        "2025-04-01",
    )


def test_a_zero_amount_in_a_csv_is_still_refused(client, account):
    response = client.post(
        f"{EXPENSES}/import",
        content=(HEADER + "2025-01-01,Food,Nothing,-0.00,\n").encode(),
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    assert "must not be zero" in response.json()["errors"][0]["message"]
