"""Tags (API.md): on expenses, listed, renamed, merged, deleted, filtered, totalled."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.api.helpers import add_expense, category_id, list_all

TAGS = "/api/v1/tags"
EXPENSES = "/api/v1/expenses"


def tag_list(client, account) -> list[tuple[str, int]]:
    response = client.get(TAGS, headers=account.headers)
    assert response.status_code == 200, response.text
    return [(item["name"], item["count"]) for item in response.json()["items"]]


def test_tags_are_trimmed_collapsed_and_keep_the_first_spelling(client, account):
    first = add_expense(client, account, tags=[" Trip ", "trip", "Work"])
    assert first["tags"] == ["Trip", "Work"]
    second = add_expense(client, account, tags=["TRIP"])
    assert second["tags"] == ["Trip"]  # the user's first spelling
    fetched = client.get(f"{EXPENSES}/{second['id']}", headers=account.headers).json()
    assert fetched["tags"] == ["Trip"]
    assert [item["tags"] for item in list_all(client, account)] == [["Trip"], ["Trip", "Work"]]
    assert tag_list(client, account) == [("Trip", 2), ("Work", 1)]


def test_patch_replaces_keeps_or_clears_tags(client, account):
    expense = add_expense(client, account, tags=["a", "b"])
    url = f"{EXPENSES}/{expense['id']}"
    changed = client.patch(url, json={"tags": ["c"]}, headers=account.headers).json()
    assert (changed["tags"], changed["version"]) == (["c"], 2)
    kept = client.patch(url, json={"notes": "x"}, headers=account.headers).json()
    assert kept["tags"] == ["c"]
    cleared = client.patch(url, json={"tags": []}, headers=account.headers).json()
    assert cleared["tags"] == []
    assert tag_list(client, account) == []  # a tag on no expense is gone


@pytest.mark.parametrize(
    "tags",
    [["x"] * 0 + [f"t{i}" for i in range(21)], [""], ["   "], ["a,b"], ["x" * 41], ["a\x00"]],
)
def test_tag_limits_are_422(client, account, tags):
    body = {"amount": "1.00", "category_id": category_id(client, account)}
    body |= {"spent_on": "2026-01-01", "tags": tags}
    response = client.post(EXPENSES, json=body, headers=account.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"].startswith("tags")


def test_forty_characters_after_trimming_are_fine(client, account):
    name = "x" * 40
    assert add_expense(client, account, tags=[f"  {name}  "])["tags"] == [name]


def test_filter_requires_every_named_tag(client, account):
    add_expense(client, account, amount="1.00", tags=["trip", "food"])
    add_expense(client, account, amount="2.00", tags=["Trip"])
    add_expense(client, account, amount="4.00")

    def amounts(*tags: str) -> list[str]:
        return sorted(item["amount"] for item in list_all(client, account, tag=list(tags)))

    assert amounts("TRIP") == ["1.00", "2.00"]
    assert amounts("trip", "FOOD") == ["1.00"]
    assert amounts("nope") == []
    summary = client.get(
        f"{EXPENSES}/summary", params={"tag": "trip"}, headers=account.headers
    ).json()
    assert (summary["count"], summary["total"]) == (2, "3.00")
    export = client.get(
        f"{EXPENSES}/export.csv", params={"tag": ["trip", "food"]}, headers=account.headers
    )
    assert len(export.text.splitlines()) == 2  # the header and one row
    bad = client.get(EXPENSES, params={"tag": "a,b"}, headers=account.headers)
    assert bad.status_code == 422


def test_rename_changes_the_spelling_and_a_case_only_rename_too(client, account):
    expense = add_expense(client, account, tags=["trip"])
    renamed = client.patch(f"{TAGS}/TRIP", json={"name": "Journey"}, headers=account.headers)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json() == {"name": "Journey", "count": 1}
    again = client.patch(f"{TAGS}/journey", json={"name": "JOURNEY"}, headers=account.headers)
    assert again.json() == {"name": "JOURNEY", "count": 1}
    got = client.get(f"{EXPENSES}/{expense['id']}", headers=account.headers).json()
    assert got["tags"] == ["JOURNEY"]


def test_rename_onto_another_tag_merges_and_keeps_its_spelling(client, account):
    both = add_expense(client, account, tags=["Trip", "Travel"])
    only = add_expense(client, account, tags=["Trip"])
    merged = client.patch(f"{TAGS}/trip", json={"name": "TRAVEL"}, headers=account.headers)
    assert merged.json() == {"name": "Travel", "count": 2}
    assert tag_list(client, account) == [("Travel", 2)]
    for expense in (both, only):
        got = client.get(f"{EXPENSES}/{expense['id']}", headers=account.headers).json()
        assert got["tags"] == ["Travel"]


def test_delete_removes_the_tag_from_every_expense(client, account):
    name = "Q1 / Trip & more"
    first = add_expense(client, account, tags=[name, "keep"])
    add_expense(client, account, tags=[name])
    url = f"{TAGS}/{quote(name.upper(), safe='')}"
    assert client.delete(url, headers=account.headers).status_code == 204
    assert tag_list(client, account) == [("keep", 1)]
    got = client.get(f"{EXPENSES}/{first['id']}", headers=account.headers).json()
    assert got["tags"] == ["keep"]
    assert client.delete(url, headers=account.headers).status_code == 404


def test_two_users_never_see_each_others_tags(client, account, other_account):
    add_expense(client, account, tags=["secret"])
    add_expense(client, other_account, tags=["Secret", "theirs"])
    assert tag_list(client, account) == [("secret", 1)]
    assert tag_list(client, other_account) == [("Secret", 1), ("theirs", 1)]
    assert client.delete(f"{TAGS}/theirs", headers=account.headers).status_code == 404
    renamed = client.patch(f"{TAGS}/theirs", json={"name": "x"}, headers=account.headers)
    assert renamed.status_code == 404
    assert list_all(client, account, tag="theirs") == []
    totals = client.get("/api/v1/analytics/tags", headers=account.headers).json()
    assert [t["name"] for t in totals["tags"]] == ["secret"]


def test_rename_to_an_invalid_name_is_422(client, account):
    add_expense(client, account, tags=["ok"])
    for name in ("", "a,b", "y" * 41):
        response = client.patch(f"{TAGS}/ok", json={"name": name}, headers=account.headers)
        assert response.status_code == 422, name


def test_tag_totals_count_an_expense_under_each_tag(client, account):
    add_expense(client, account, amount="10.00", spent_on="2025-05-01", tags=["a", "b"])
    add_expense(client, account, amount="-4.00", spent_on="2025-05-02", tags=["a"])
    add_expense(client, account, amount="7.00", spent_on="2025-06-01", tags=["b"])
    body = client.get(
        "/api/v1/analytics/tags",
        params={"from": "2025-05-01", "to": "2025-05-31"},
        headers=account.headers,
    ).json()
    assert body == {
        "currency": "USD",
        "tags": [
            {"name": "a", "total": "6.00", "count": 2},
            {"name": "b", "total": "10.00", "count": 1},
        ],
        "unconverted": 0,
    }


def test_the_count_leaves_out_the_trash_and_a_purged_tag_is_gone(client, account):
    kept = add_expense(client, account, tags=["gift"])
    trashed = add_expense(client, account, tags=["gift", "once"])
    assert client.delete(f"{EXPENSES}/{trashed['id']}", headers=account.headers).status_code == 204
    assert tag_list(client, account) == [("gift", 1), ("once", 0)]
    purge = client.delete(f"{EXPENSES}/{trashed['id']}?purge=true", headers=account.headers)
    assert purge.status_code == 204
    assert tag_list(client, account) == [("gift", 1)]
    assert client.delete(f"{TAGS}/once", headers=account.headers).status_code == 404
    renamed = client.patch(f"{TAGS}/gift", json={"name": "once"}, headers=account.headers)
    assert renamed.json() == {"name": "once", "count": 1}
    got = client.get(f"{EXPENSES}/{kept['id']}", headers=account.headers).json()
    assert got["tags"] == ["once"]


@pytest.mark.parametrize("change", ["rename", "merge", "delete"])
def test_a_tag_change_is_a_new_version_of_its_expenses(client, account, change):
    tagged = add_expense(client, account, tags=["trip"])
    add_expense(client, account, tags=["holiday"])
    url = "/api/v1/tags/trip"
    if change == "delete":
        response = client.delete(url, headers=account.headers)
    else:
        name = "holiday" if change == "merge" else "voyage"
        response = client.patch(url, json={"name": name}, headers=account.headers)
    assert response.status_code in (200, 204), response.text
    after = client.get(f"{EXPENSES}/{tagged['id']}", headers=account.headers).json()
    assert after["version"] == tagged["version"] + 1
    stale = client.patch(
        f"{EXPENSES}/{tagged['id']}",
        json={"notes": "x"},
        headers={**account.headers, "If-Match": f'"{tagged["version"]}"'},
    )
    assert stale.status_code == 412
