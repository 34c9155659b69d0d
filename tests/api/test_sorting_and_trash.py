"""API.md "Sorting, trash and undo": every sort pages by keyset; the trash hides and restores."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.api.helpers import add_expense, categories, list_all
from tests.api.test_prune import prune
from tests.api.test_write_races import rollups_match
from tests.support import register_and_login, run_sql

SORTS = ["spent_on", "amount", "description", "category", "created_at"]


ROWS = [  # date, amount, category, description: ties in every column but the id
    ("2026-01-05", "4.00", "Food", "rent"),
    ("2026-01-05", "4.00", "Food", "rent"),
    ("2026-01-06", "12.50", "Bills", "bread"),
    ("2026-01-05", "12.50", "Food", "bread"),
    ("2026-01-06", "4.00", "Bills", "rent"),
    ("2026-01-07", "4.00", "Food", "apple"),
    ("2026-01-05", "12.50", "Bills", "apple"),
]


@pytest.fixture
def seeded(client, account):
    names = categories(client, account)
    return [
        add_expense(
            client,
            account,
            spent_on=day,
            amount=amount,
            category_id=names[category]["id"],
            description=description,
        )
        for day, amount, category, description in ROWS
    ]


def key(expense: dict, sort: str) -> object:
    value = expense[sort]
    return Decimal(value) if sort == "amount" else value


@pytest.mark.parametrize(("sort", "order"), itertools.product(SORTS, ["desc", "asc"]))
def test_every_sort_pages_in_order_with_ties_by_id(client, account, seeded, sort, order):
    items = list_all(client, account, sort=sort, order=order, limit=2)
    assert len(items) == len(seeded)
    expected = sorted(seeded, key=lambda e: (key(e, sort), e["id"]), reverse=order == "desc")
    assert [e["id"] for e in items] == [e["id"] for e in expected]


def test_a_cursor_made_for_another_sort_or_order_is_422(client, account, seeded):
    first = client.get(
        "/api/v1/expenses", params={"limit": 2, "sort": "amount"}, headers=account.headers
    ).json()
    for params in ({"sort": "description"}, {"sort": "amount", "order": "asc"}, {}):
        response = client.get(
            "/api/v1/expenses",
            params={"limit": 2, "cursor": first["next_cursor"], **params},
            headers=account.headers,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "cursor"


def test_an_unknown_sort_is_422(client, account):
    response = client.get("/api/v1/expenses", params={"sort": "notes"}, headers=account.headers)
    assert response.status_code == 422


def test_the_trash_hides_an_expense_everywhere_until_it_is_restored(client, account, database_url):
    kept = add_expense(client, account, amount="5.00", spent_on="2026-04-02")
    gone = add_expense(client, account, amount="7.00", spent_on="2026-04-03", description="oops")
    url = f"/api/v1/expenses/{gone['id']}"
    assert client.delete(url, headers=account.headers).status_code == 204

    assert client.get(url, headers=account.headers).status_code == 404
    assert [e["id"] for e in list_all(client, account)] == [kept["id"]]
    summary = client.get("/api/v1/expenses/summary", headers=account.headers).json()
    assert (summary["count"], summary["total"]) == (1, "5.00")
    export = client.get("/api/v1/expenses/export.csv", headers=account.headers).text
    assert "oops" not in export
    monthly = client.get(
        "/api/v1/analytics/monthly",
        params={"from": "2026-04", "to": "2026-04"},
        headers=account.headers,
    ).json()
    assert monthly["months"] == [{"month": "2026-04", "total": "5.00", "count": 1}]
    assert rollups_match(database_url, account.profile["id"])

    trash = client.get("/api/v1/expenses/trash", headers=account.headers).json()
    assert [e["id"] for e in trash["items"]] == [gone["id"]]
    assert trash["items"][0]["deleted_at"]
    # Already in the trash: a plain DELETE finds nothing, a PATCH too.
    assert client.delete(url, headers=account.headers).status_code == 404
    assert client.patch(url, json={"notes": "x"}, headers=account.headers).status_code == 404

    restored = client.post(f"{url}/restore", headers=account.headers)
    assert restored.status_code == 200
    assert restored.json()["id"] == gone["id"]
    assert restored.json()["version"] == gone["version"] + 1
    assert restored.headers["etag"] == f'"{gone["version"] + 1}"'
    assert client.post(f"{url}/restore", headers=account.headers).status_code == 409
    summary = client.get("/api/v1/expenses/summary", headers=account.headers).json()
    assert (summary["count"], summary["total"]) == (2, "12.00")
    assert rollups_match(database_url, account.profile["id"])


def test_purge_deletes_for_good_from_the_trash_or_the_list(client, account):
    trashed, live = add_expense(client, account), add_expense(client, account)
    headers = account.headers
    assert client.delete(f"/api/v1/expenses/{trashed['id']}", headers=headers).status_code == 204
    for expense in (trashed, live):
        url = f"/api/v1/expenses/{expense['id']}"
        assert client.delete(url, params={"purge": "true"}, headers=headers).status_code == 204
        assert client.post(f"{url}/restore", headers=headers).status_code == 404
    assert client.get("/api/v1/expenses/trash", headers=headers).json()["items"] == []


def test_the_trash_pages_newest_deletion_first(client, account):
    made = [add_expense(client, account) for _ in range(5)]
    for expense in made:
        client.delete(f"/api/v1/expenses/{expense['id']}", headers=account.headers)
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/expenses/trash", params=params, headers=account.headers).json()
        seen += [e["id"] for e in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == [e["id"] for e in reversed(made)]


def test_another_users_expense_cannot_be_restored_or_purged(client, account):
    other_account = register_and_login(client)
    expense = add_expense(client, account)
    url = f"/api/v1/expenses/{expense['id']}"
    client.delete(url, headers=account.headers)
    assert client.post(f"{url}/restore", headers=other_account.headers).status_code == 404
    purge = client.delete(url, params={"purge": "true"}, headers=other_account.headers)
    assert purge.status_code == 404
    assert client.get("/api/v1/expenses/trash", headers=other_account.headers).json()["items"] == []


def test_the_trash_is_emptied_after_30_days(client, account, database_url):
    old, recent = add_expense(client, account), add_expense(client, account)
    for expense, age in ((old, timedelta(days=31)), (recent, timedelta(days=29))):
        client.delete(f"/api/v1/expenses/{expense['id']}", headers=account.headers)
        run_sql(
            database_url,
            "UPDATE expense SET deleted_at = now() - $2::interval WHERE id = $1",
            expense["id"],
            age,
        )
    prune(database_url)
    trash = client.get("/api/v1/expenses/trash", headers=account.headers).json()["items"]
    assert [e["id"] for e in trash] == [recent["id"]]


@pytest.mark.parametrize("order", ["desc", "asc"])
def test_the_category_sort_reads_the_same_by_category_and_by_date(client, account, seeded, order):
    """Without a date range the page is read category by category (sorting.by_category_sql);
    with one, the range's rows are sorted. Page by page, both give the same order."""
    by_category = list_all(client, account, sort="category", order=order, limit=3)
    by_date = list_all(
        client, account, sort="category", order=order, limit=3, **{"from": "1900-01-01"}
    )
    assert [e["id"] for e in by_category] == [e["id"] for e in by_date]
    assert len(by_category) == len(seeded)
