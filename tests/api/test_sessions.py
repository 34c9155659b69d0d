"""Revocation that holds: logout, logout-all and password changes end tokens at once.

Access tokens carry their login (``sid``); each request checks that login is
live. Rotation and revocation lock the same login row, so a refresh racing a
logout can never leave a token alive.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import jwt
import pytest

from tests.support import PASSWORD, TEST_JWT_SECRET, ApiServer, register_and_login, run_sql


def login(client: httpx.Client, email: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def me_status(client: httpx.Client, access_token: str) -> int:
    return client.get("/api/v1/me", headers=bearer(access_token)).status_code


def test_access_tokens_name_their_login(client, account):
    claims = jwt.decode(
        account.access_token, TEST_JWT_SECRET, algorithms=["HS256"], audience="expense-tracker-api"
    )
    assert len(claims["sid"]) == 36  # a UUID


def test_logout_ends_that_logins_access_token_and_no_other(client, account):
    other = login(client, account.email)
    response = client.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})
    assert response.status_code == 204
    refused = client.get("/api/v1/me", headers=account.headers)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")
    assert me_status(client, other["access_token"]) == 200


def test_logout_all_ends_every_access_and_refresh_token(client, account):
    second = login(client, account.email)
    response = client.post("/api/v1/me/logout-all", headers=bearer(second["access_token"]))
    assert response.status_code == 204
    for tokens in (
        {"access_token": account.access_token, "refresh_token": account.refresh_token},
        second,
    ):
        assert me_status(client, tokens["access_token"]) == 401
        refreshed = client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert refreshed.status_code == 401
    assert me_status(client, login(client, account.email)["access_token"]) == 200


def test_a_password_change_ends_every_earlier_access_token(client, account):
    other = login(client, account.email)
    response = client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a new passphrase"},
        headers=account.headers,
    )
    assert response.status_code == 204
    assert me_status(client, account.access_token) == 401
    assert me_status(client, other["access_token"]) == 401
    fresh = login(client, account.email, "a new passphrase")
    assert me_status(client, fresh["access_token"]) == 200


def test_wrong_current_passwords_are_throttled_after_ten(client, account):
    statuses = [
        client.post(
            "/api/v1/me/password",
            json={"current_password": f"wrong guess {i}", "new_password": "whatever123"},
            headers=account.headers,
        ).status_code
        for i in range(11)
    ]
    assert statuses == [403] * 10 + [429]
    last = client.post(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "whatever123"},
        headers=account.headers,
    )
    assert last.status_code == 429
    assert int(last.headers["retry-after"]) > 0


def race_refresh_and_logout(client: httpx.Client, refresh_token: str) -> tuple:
    start = threading.Barrier(2)

    def call(path: str) -> httpx.Response:
        start.wait()
        return client.post(path, json={"refresh_token": refresh_token})

    with ThreadPoolExecutor(2) as pool:
        refreshed = pool.submit(call, "/api/v1/auth/refresh")
        logged_out = pool.submit(call, "/api/v1/auth/logout")
        return refreshed.result(), logged_out.result()


def test_refresh_racing_logout_never_leaves_a_live_token(client, account):
    """Both orders are fine; what must never happen is a token that outlives the logout."""
    for _ in range(15):
        tokens = login(client, account.email)
        refreshed, logged_out = race_refresh_and_logout(client, tokens["refresh_token"])
        assert logged_out.status_code == 204
        if refreshed.status_code == 200:
            new = refreshed.json()
            assert me_status(client, new["access_token"]) == 401
            again = client.post(
                "/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]}
            )
            assert again.status_code == 401
        else:
            assert refreshed.status_code == 401


def test_login_throttle_counts_every_spelling_of_one_account(client, database_url):
    account = register_and_login(client, email=f"ia-{id(client)}@example.com")
    spellings = [account.email, account.email.upper(), "\u0130" + account.email[1:]]
    statuses = [
        client.post(
            "/api/v1/auth/login", json={"email": spellings[i % 3], "password": "wrong pass"}
        ).status_code
        for i in range(12)
    ]
    # PostgreSQL's lower() decides which spellings name the account; all of those
    # share one budget of ten failures.
    matched = run_sql(
        database_url, "SELECT count(*) FROM app_user WHERE lower(email) = lower($1)", spellings[2]
    )[0][0]
    assert statuses.count(429) >= (2 if matched else 1)


@pytest.fixture(scope="module")
def limited_server(database_url, tmp_path_factory):
    server = ApiServer(
        database_url,
        tmp_path_factory.mktemp("limited") / "server.log",
        extra_env={"REGISTER_LIMIT_PER_HOUR": "3"},
    ).start()
    yield server
    server.stop()


def test_register_is_limited_per_client_address(limited_server, database_url):
    # The session's other server counts registrations from this address too.
    run_sql(database_url, "DELETE FROM login_failure WHERE subject LIKE 'register:%'")
    with httpx.Client(base_url=limited_server.url, timeout=30) as http:
        statuses = []
        for i in range(4):
            body = {"email": f"limit-{i}-{id(http)}@example.com", "password": PASSWORD}
            statuses.append(http.post("/api/v1/auth/register", json=body))
    assert [r.status_code for r in statuses] == [201, 201, 201, 429]
    assert 0 < int(statuses[-1].headers["retry-after"]) <= 3600
