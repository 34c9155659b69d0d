"""Register, login, refresh rotation and reuse, logout — per API.md's Auth table."""

from __future__ import annotations

import pytest

from tests.support import PASSWORD, run_sql, unique_email


def login(client, email: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def refresh(client, token: str):
    return client.post("/api/v1/auth/refresh", json={"refresh_token": token})


def test_register_answers_201_with_the_profile(client):
    email = unique_email()
    response = client.post(
        "/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": " Ada ", "currency": "EUR"},
    )
    assert response.status_code == 201, response.text
    profile = response.json()
    assert set(profile) == {"id", "email", "display_name", "currency", "created_at"}
    assert (profile["email"], profile["display_name"], profile["currency"]) == (email, "Ada", "EUR")
    assert isinstance(profile["id"], int)
    assert profile["created_at"].endswith("Z")


def test_register_defaults_to_usd(client, account):
    assert account.profile["currency"] == "USD"


def test_register_same_email_in_other_case_is_409(client, account):
    response = client.post(
        "/api/v1/auth/register", json={"email": account.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "a@b", "password": PASSWORD}, "email"),
        ({"email": unique_email(), "password": "7chars!"}, "password"),
        ({"email": unique_email(), "password": PASSWORD, "currency": "usd"}, "currency"),
        ({"email": unique_email()}, "password"),
        ({"email": unique_email(), "password": PASSWORD, "admin": True}, "admin"),
    ],
)
def test_register_invalid_input_is_422_naming_the_field(client, body, field):
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["status"] == 422
    assert field in [error["field"] for error in problem["errors"]]


def test_login_answers_a_bearer_token_pair(client, account):
    response = login(client, account.email.upper())  # emails match in any case
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60


def test_unknown_email_and_wrong_password_get_the_same_401(client, account):
    unknown = login(client, unique_email("nobody"))
    wrong = login(client, account.email, "wrong password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    assert unknown.headers["content-type"] == wrong.headers["content-type"]


def test_refresh_rotates_and_the_old_token_stops_working(client, account):
    rotated = refresh(client, account.refresh_token)
    assert rotated.status_code == 200
    pair = rotated.json()
    assert pair["refresh_token"] != account.refresh_token
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {pair['access_token']}"})
    assert me.status_code == 200
    assert refresh(client, pair["refresh_token"]).status_code == 200
    # The rotated-away token is refused (last: its reuse also ends the whole login).
    old = refresh(client, account.refresh_token)
    assert old.status_code == 401
    assert old.headers["www-authenticate"].startswith("Bearer")


def test_reusing_a_spent_refresh_token_revokes_the_whole_login(client, account):
    first = refresh(client, account.refresh_token).json()["refresh_token"]
    second = refresh(client, first).json()["refresh_token"]
    other_login = login(client, account.email).json()["refresh_token"]

    replay = refresh(client, account.refresh_token)  # a thief replays the spent token
    assert replay.status_code == 401
    assert replay.headers["www-authenticate"].startswith("Bearer")
    assert refresh(client, second).status_code == 401  # the legitimate chain is cut off
    assert refresh(client, other_login).status_code == 200  # other logins are untouched


@pytest.mark.parametrize("token", ["", "x" * 43, "not a token at all"])
def test_unknown_refresh_token_is_401(client, token):
    assert refresh(client, token).status_code == 401


def test_expired_refresh_token_is_401(client, account, database_url):
    run_sql(
        database_url,
        "UPDATE refresh_token SET expires_at = now() - interval '1 second' WHERE user_id = $1",
        account.profile["id"],
    )
    assert refresh(client, account.refresh_token).status_code == 401


def test_refresh_tokens_are_stored_hashed(account, database_url):
    query = "SELECT token_hash FROM refresh_token WHERE user_id = $1"
    rows = run_sql(database_url, query, account.profile["id"])
    assert rows
    assert all(row["token_hash"] != account.refresh_token for row in rows)


def test_logout_revokes_the_refresh_token(client, account):
    response = client.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})
    assert response.status_code == 204
    assert response.content == b""
    assert refresh(client, account.refresh_token).status_code == 401


def test_logout_with_an_unknown_token_is_still_204(client):
    response = client.post("/api/v1/auth/logout", json={"refresh_token": "never-issued"})
    assert response.status_code == 204


def test_logout_ends_only_that_login(client, account):
    other = login(client, account.email).json()["refresh_token"]
    client.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})
    assert refresh(client, other).status_code == 200


def test_auth_bodies_must_be_json_objects(client):
    for path in ("/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"):
        assert client.post(path, json={}).status_code == 422
        assert client.post(path, content=b"{not json").status_code == 400
