from tests.api.helpers import add_expense, categories, category_id

DEFAULTS = {"Food", "Travel", "Bills", "Shopping", "Entertainment", "Health", "Transport", "Other"}


def test_new_account_has_the_default_categories(client, account):
    assert set(categories(client, account)) == DEFAULTS


def test_create_category_with_and_without_colour(client, account):
    created = client.post(
        "/api/v1/categories", json={"name": "Pets", "color": "#a1b2c3"}, headers=account.headers
    )
    assert created.status_code == 201
    assert created.json()["color"] == "#A1B2C3"
    plain = client.post("/api/v1/categories", json={"name": "Garden"}, headers=account.headers)
    assert plain.status_code == 201
    assert plain.json()["color"].startswith("#")
    assert {"Pets", "Garden"} <= set(categories(client, account))


def test_category_names_are_unique_case_insensitively(client, account):
    response = client.post("/api/v1/categories", json={"name": "fOOD"}, headers=account.headers)
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")


def test_invalid_category_fields_are_422(client, account):
    for body in ({"name": ""}, {"name": "   "}, {"name": "x" * 51}, {"name": "A", "color": "red"}):
        response = client.post("/api/v1/categories", json=body, headers=account.headers)
        assert response.status_code == 422, body
        assert response.json()["errors"]


def test_rename_and_recolour(client, account):
    food = category_id(client, account)
    response = client.patch(
        f"/api/v1/categories/{food}",
        json={"name": "Groceries", "color": "#000000"},
        headers=account.headers,
    )
    assert response.status_code == 200
    assert response.json() == {"id": food, "name": "Groceries", "color": "#000000"}
    clash = client.patch(
        f"/api/v1/categories/{food}", json={"name": "travel"}, headers=account.headers
    )
    assert clash.status_code == 409


def test_delete_unused_category(client, account):
    other = category_id(client, account, "Other")
    assert client.delete(f"/api/v1/categories/{other}", headers=account.headers).status_code == 204
    assert "Other" not in categories(client, account)


def test_delete_category_in_use_is_409_unless_reassigned(client, account):
    food = category_id(client, account)
    bills = category_id(client, account, "Bills")
    expense = add_expense(client, account, category_id=food)
    assert client.delete(f"/api/v1/categories/{food}", headers=account.headers).status_code == 409
    response = client.delete(
        f"/api/v1/categories/{food}", params={"reassign_to": bills}, headers=account.headers
    )
    assert response.status_code == 204
    moved = client.get(f"/api/v1/expenses/{expense['id']}", headers=account.headers).json()
    assert (moved["category_id"], moved["category"]) == (bills, "Bills")


def test_reassign_to_itself_or_a_missing_category_is_refused(client, account):
    food = category_id(client, account)
    add_expense(client, account, category_id=food)
    itself = client.delete(
        f"/api/v1/categories/{food}", params={"reassign_to": food}, headers=account.headers
    )
    assert itself.status_code == 422
    missing = client.delete(
        f"/api/v1/categories/{food}", params={"reassign_to": 10**9}, headers=account.headers
    )
    assert missing.status_code == 404
    assert "Food" in categories(client, account)


def test_another_users_category_is_404_everywhere(client, account, other_account):
    theirs = category_id(client, other_account)
    mine = category_id(client, account, "Bills")
    headers = account.headers
    assert (
        client.patch(
            f"/api/v1/categories/{theirs}", json={"name": "Mine"}, headers=headers
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/categories/{theirs}", headers=headers).status_code == 404
    reassign = client.delete(
        f"/api/v1/categories/{mine}", params={"reassign_to": theirs}, headers=headers
    )
    assert reassign.status_code == 404
    expense = client.post(
        "/api/v1/expenses",
        json={"amount": "1.00", "category_id": theirs, "spent_on": "2026-01-01"},
        headers=headers,
    )
    assert expense.status_code == 422
    assert categories(client, other_account)["Food"]["id"] == theirs
