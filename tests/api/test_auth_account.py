"""``/api/v1/me``: profile, password change and account deletion."""

from __future__ import annotations

import pytest

from tests.support import PASSWORD, run_sql

NEW_PASSWORD = "an entirely new passphrase"


def login(client, email: str, password: str):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def refresh(client, token: str):
    return client.post("/api/v1/auth/refresh", json={"refresh_token": token})


@pytest.fixture(scope="module")
def shared_account(api_url):
    """One account for tests that leave it unchanged: each registration costs two hashes."""
    import httpx

    from tests.support import register_and_login

    with httpx.Client(base_url=api_url, timeout=30) as http:
        return register_and_login(http)


def rows_of(database_url: str, table: str, user_id: int) -> int:
    column = "id" if table == "app_user" else "user_id"
    query = f"SELECT count(*) AS n FROM {table} WHERE {column} = $1"  # noqa: S608 (fixed names)
    return run_sql(database_url, query, user_id)[0]["n"]


def test_profile_has_the_contract_fields(client, account):
    response = client.get("/api/v1/me", headers=account.headers)
    assert response.status_code == 200
    assert response.json() == account.profile


def test_patch_changes_display_name_and_currency(client, account):
    response = client.patch(
        "/api/v1/me", headers=account.headers, json={"display_name": "Grace", "currency": "JPY"}
    )
    assert response.status_code == 200
    assert (response.json()["display_name"], response.json()["currency"]) == ("Grace", "JPY")
    # A partial update leaves the rest alone.
    again = client.patch("/api/v1/me", headers=account.headers, json={"display_name": "G"})
    assert (again.json()["display_name"], again.json()["currency"]) == ("G", "JPY")
    assert client.get("/api/v1/me", headers=account.headers).json() == again.json()


@pytest.mark.parametrize(
    "body",
    [
        {"currency": "usd"},
        {"currency": "EURO"},
        {"currency": 978},
        {"display_name": "x" * 101},
        {"email": "new@example.com"},
    ],
)
def test_patch_with_an_invalid_profile_is_422(client, shared_account, body):
    response = client.patch("/api/v1/me", headers=shared_account.headers, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"]
    unchanged = client.get("/api/v1/me", headers=shared_account.headers).json()
    assert unchanged == shared_account.profile


def test_password_change_with_a_wrong_current_password_is_403(client, account):
    response = client.post(
        "/api/v1/me/password",
        headers=account.headers,
        json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert login(client, account.email, PASSWORD).status_code == 200


def test_password_change_to_a_short_password_is_422(client, account):
    response = client.post(
        "/api/v1/me/password",
        headers=account.headers,
        json={"current_password": PASSWORD, "new_password": "short"},
    )
    assert response.status_code == 422


def test_password_change_revokes_every_refresh_token(client, account):
    second_login = login(client, account.email, PASSWORD).json()["refresh_token"]
    response = client.post(
        "/api/v1/me/password",
        headers=account.headers,
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 204
    assert refresh(client, account.refresh_token).status_code == 401
    assert refresh(client, second_login).status_code == 401
    assert login(client, account.email, PASSWORD).status_code == 401
    assert login(client, account.email, NEW_PASSWORD).status_code == 200


def test_delete_removes_the_account_and_all_its_data(client, account, database_url):
    user_id = account.profile["id"]
    # Written in SQL so this test depends on no other domain's routes.
    run_sql(
        database_url,
        "INSERT INTO expense (user_id, category_id, amount, spent_on, description, notes,"
        " created_at, updated_at, version)"
        " SELECT $1, id, 12.50, current_date, 'lunch', '', now(), now(), 1"
        " FROM category WHERE user_id = $1 LIMIT 1",
        user_id,
    )
    tables = ("app_user", "refresh_token", "category", "expense", "expense_monthly_rollup")
    assert all(rows_of(database_url, table, user_id) > 0 for table in tables)

    response = client.delete("/api/v1/me", headers=account.headers)
    assert response.status_code == 204
    for table in tables:
        assert rows_of(database_url, table, user_id) == 0, table

    me = client.get("/api/v1/me", headers=account.headers)
    assert me.status_code == 401
    assert me.headers["www-authenticate"].startswith("Bearer")
    assert refresh(client, account.refresh_token).status_code == 401
    assert login(client, account.email, PASSWORD).status_code == 401


def test_a_deleted_accounts_email_can_register_again(client, account):
    client.delete("/api/v1/me", headers=account.headers)
    again = client.post(
        "/api/v1/auth/register", json={"email": account.email.upper(), "password": PASSWORD}
    )
    assert again.status_code == 201
    assert again.json()["id"] != account.profile["id"]
