"""Rules: CRUD, case-folded matching in position order, in imports and on demand."""

from __future__ import annotations

from tests.api.bank_import_helpers import commit, preview, stored
from tests.api.helpers import add_expense, category_id

RULES = "/api/v1/rules"


def add_rule(client, account, **body) -> dict:
    response = client.post(RULES, json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{RULES}/{response.json()['id']}"
    return response.json()


def test_rules_categorise_and_tag_rows_in_preview_and_commit(client, account, database_url):
    food = category_id(client, account, "Food")
    rule = add_rule(
        client,
        account,
        name="Groceries",
        when={"description_contains": "whole foods"},
        then={"category_id": food, "tags_add": ["groceries", "weekly"]},
    )
    rows = preview(client, account, "checking_sgml.ofx")["rows"]
    assert (rows[0]["description"], rows[0]["category"], rows[0]["tags"], rows[0]["rule_id"]) == (
        "WHOLE FOODS MKT #123",
        "Food",
        ["groceries", "weekly"],
        rule["id"],
    )
    assert rows[1]["rule_id"] is None
    assert rows[1]["category"] == "Other"
    commit(client, account, "checking_sgml.ofx")
    first = stored(database_url, account)[0]
    assert (first["category"], first["tags"]) == ("Food", ["groceries", "weekly"])


def test_matching_uses_unicode_case_folding(client, account):
    travel = category_id(client, account, "Transport")
    add_rule(
        client,
        account,
        name="Tram",
        when={"description_starts_with": "STRASSENBAHN"},
        then={"category_id": travel, "description": "Tram pass"},
    )
    rows = preview(client, account, "german_giro.csv")["rows"]
    tram = next(r for r in rows if r["spent_on"] == "2025-03-28")
    assert (tram["category"], tram["description"]) == ("Transport", "Tram pass")


def test_first_matching_rule_wins_per_action_field(client, account):
    fun = category_id(client, account, "Entertainment")
    bills = category_id(client, account, "Bills")
    later = add_rule(
        client,
        account,
        name="Broad",
        position=5,
        when={"description_contains": "net"},
        then={"category_id": fun, "tags_add": ["ignored"]},
    )
    earlier = add_rule(
        client,
        account,
        name="Tag only",
        position=1,
        when={"description_contains": "NETFLIX", "amount_max": "10.00", "currency": "USD"},
        then={"tags_add": ["tv"]},
    )
    add_rule(
        client,
        account,
        name="Too dear",
        position=0,
        when={"description_contains": "netflix", "amount_min": 100},
        then={"category_id": bills},
    )
    listed = client.get(RULES, headers=account.headers).json()["items"]
    assert [r["name"] for r in listed] == ["Too dear", "Tag only", "Broad"]
    netflix = preview(client, account, "checking_sgml.ofx")["rows"][1]
    assert (netflix["category"], netflix["tags"], netflix["rule_id"]) == (
        "Entertainment",
        ["tv"],
        earlier["id"],
    )
    assert later["position"] == 5


def test_a_rule_with_an_account_condition_matches_the_import_label(client, account):
    food = category_id(client, account, "Food")
    add_rule(
        client, account, name="Card", when={"account": "visa 1234"}, then={"category_id": food}
    )
    rows = preview(client, account, "card_v2.ofx", account="VISA 1234")["rows"]
    assert {r["category"] for r in rows if r["status"] == "new"} == {"Food"}
    rows = preview(client, account, "card_v2.ofx", account="Mastercard")["rows"]
    assert {r["category"] for r in rows if r["status"] == "new"} == {"Other"}


def test_apply_changes_existing_expenses_and_dry_run_changes_nothing(client, account):
    food = category_id(client, account, "Food")
    bills = category_id(client, account, "Bills")
    one = add_expense(client, account, description="Bakery Straße", category_id=bills)
    add_expense(client, account, description="bakery strasse", category_id=food)
    add_expense(client, account, description="Cinema", category_id=bills)
    rule = add_rule(
        client,
        account,
        name="Bakery",
        when={"description_contains": "BAKERY STRASSE"},
        then={"category_id": food, "tags_add": ["bread"]},
    )
    apply = f"{RULES}/{rule['id']}/apply"
    dry = client.post(apply, params={"dry_run": "true"}, headers=account.headers)
    assert dry.status_code == 200, dry.text
    assert dry.json() == {"matched": 2, "changed": 2}
    unchanged = client.get(f"/api/v1/expenses/{one['id']}", headers=account.headers).json()
    assert (unchanged["category_id"], unchanged["tags"], unchanged["version"]) == (bills, [], 1)

    done = client.post(apply, headers=account.headers)
    assert done.json() == {"matched": 2, "changed": 2}
    changed = client.get(f"/api/v1/expenses/{one['id']}", headers=account.headers).json()
    assert (changed["category_id"], changed["tags"], changed["version"]) == (food, ["bread"], 2)
    assert client.post(apply, headers=account.headers).json() == {"matched": 2, "changed": 0}


def test_rule_crud(client, account):
    food = category_id(client, account, "Food")
    rule = add_rule(
        client,
        account,
        name=" Coffee ",
        when={"description_equals": "Café"},
        then={"category_id": food},
    )
    assert rule["name"] == "Coffee"
    assert rule["position"] == 0
    url = f"{RULES}/{rule['id']}"
    assert client.get(url, headers=account.headers).json() == rule
    patched = client.patch(
        url,
        json={"position": 3, "then": {"tags_add": ["coffee"]}},
        headers=account.headers,
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["position"], patched.json()["then"]) == (3, {"tags_add": ["coffee"]})
    assert (
        add_rule(
            client, account, name="Next", when={"currency": "EUR"}, then={"tags_add": ["euro"]}
        )["position"]
        == 4
    )
    assert client.delete(url, headers=account.headers).status_code == 204
    assert client.get(url, headers=account.headers).status_code == 404


def test_invalid_rules_are_422(client, account, other_account):
    theirs = category_id(client, other_account, "Food")
    for body in (
        {"name": "x", "when": {}, "then": {"tags_add": ["a"]}},
        {"name": "x", "when": {"currency": "EUR"}, "then": {}},
        {
            "name": "x",
            "when": {"amount_min": "5.00", "amount_max": "1"},
            "then": {"tags_add": ["a"]},
        },
        {"name": "x", "when": {"amount_min": "1.234"}, "then": {"tags_add": ["a"]}},
        {"name": "x", "when": {"currency": "eur"}, "then": {"tags_add": ["a"]}},
        {"name": "x", "when": {"currency": "EUR"}, "then": {"tags_add": ["a,b"]}},
        {"name": " ", "when": {"currency": "EUR"}, "then": {"tags_add": ["a"]}},
        {"name": "x", "when": {"currency": "EUR"}, "then": {"category_id": theirs}},
        {"name": "x", "when": {"currency": "EUR"}, "then": {"category_id": 2**63}},
        {"name": "x", "when": {"colour": "red"}, "then": {"tags_add": ["a"]}},
    ):
        response = client.post(RULES, json=body, headers=account.headers)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
