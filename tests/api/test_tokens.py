"""Access tokens: what the API issues, and every kind of bad token it must refuse."""

from __future__ import annotations

import base64
import json
import time
import uuid

import jwt
import pytest

from tests.support import TEST_JWT_SECRET

ISSUER = "expense-tracker"
AUDIENCE = "expense-tracker-api"


def claims(sub: object, sid: str | None = None, **overrides: object) -> dict:
    now = int(time.time())
    base = {
        "sub": str(sub),
        "sid": sid,
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def login_of(account) -> str:
    """The login (``sid``) of an account's real access token."""
    return jwt.decode(account.access_token, options={"verify_signature": False})["sid"]


def sign(payload: dict, key: str = TEST_JWT_SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm)


def unsigned(payload: dict) -> str:
    """An ``alg: none`` token, built by hand: PyJWT refuses to make one with a key."""

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


@pytest.fixture(scope="module")
def shared_account(api_url):
    """One account for the tests that only read: each registration costs two hashes."""
    import httpx

    from tests.support import register_and_login

    with httpx.Client(base_url=api_url, timeout=30) as http:
        return register_and_login(http)


def assert_bearer_401(response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 401
    assert body["title"]
    assert body["detail"]


def test_issued_access_token_is_hs256_with_every_claim(account):
    header = jwt.get_unverified_header(account.access_token)
    assert header["alg"] == "HS256"
    payload = jwt.decode(
        account.access_token, TEST_JWT_SECRET, algorithms=["HS256"], audience=AUDIENCE
    )
    assert set(payload) >= {"sub", "exp", "iat", "jti", "iss", "aud"}
    assert payload["sub"] == str(account.profile["id"])
    assert payload["iss"] == ISSUER
    assert payload["exp"] - payload["iat"] == 15 * 60  # ACCESS_TOKEN_TTL default


def test_a_correctly_crafted_token_is_accepted(client, shared_account):
    # Proves the crafted tokens below are refused for the one thing each gets wrong.
    token = sign(claims(shared_account.profile["id"], login_of(shared_account)))
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("Bearer", id="no-token"),
        pytest.param("Bearer not-a-jwt", id="malformed"),
        pytest.param("Bearer a.b.c", id="malformed-segments"),
        pytest.param("Basic dXNlcjpwYXNz", id="wrong-scheme"),
    ],
)
def test_missing_or_malformed_token_is_401(client, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    assert_bearer_401(client.get("/api/v1/me", headers=headers))


@pytest.mark.parametrize(
    "make_token",
    [
        pytest.param(
            lambda uid, sid: sign(claims(uid, sid, exp=int(time.time()) - 5)), id="expired"
        ),
        pytest.param(
            lambda uid, sid: sign(claims(uid, sid), key="another-secret-" + "y" * 40), id="forged"
        ),
        pytest.param(lambda uid, sid: unsigned(claims(uid, sid)), id="alg-none"),
        pytest.param(
            lambda uid, sid: sign(claims(uid, sid), algorithm="HS512"), id="other-algorithm"
        ),
        pytest.param(
            lambda uid, sid: sign(claims(uid, sid, aud="someone-else")), id="wrong-audience"
        ),
        pytest.param(lambda uid, sid: sign(claims(uid, sid, aud=None)), id="no-audience"),
        pytest.param(lambda uid, sid: sign(claims(uid, sid, iss="evil-issuer")), id="wrong-issuer"),
        pytest.param(lambda uid, sid: sign(claims(uid, sid, jti=None)), id="no-jti"),
        pytest.param(lambda uid, sid: sign(claims(uid, sid, iat=None)), id="no-iat"),
        pytest.param(lambda uid, sid: sign(claims("not-a-number", sid)), id="bad-subject"),
        pytest.param(lambda uid, sid: sign(claims(2**70, sid)), id="huge-subject"),
        pytest.param(lambda uid, sid: sign(claims(uid + 10**9, sid)), id="no-such-account"),
        pytest.param(lambda uid, sid: sign(claims(uid)), id="no-login"),
        pytest.param(lambda uid, sid: sign(claims(uid, "not-a-uuid")), id="bad-login"),
        pytest.param(lambda uid, sid: sign(claims(uid, str(uuid.uuid4()))), id="unknown-login"),
    ],
)
def test_bad_token_is_401(client, shared_account, make_token):
    token = make_token(shared_account.profile["id"], login_of(shared_account))
    assert_bearer_401(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}))


def test_deleted_accounts_tokens_are_401(client, account):
    assert client.delete("/api/v1/me", headers=account.headers).status_code == 204
    assert_bearer_401(client.get("/api/v1/me", headers=account.headers))
    # A freshly crafted, validly signed token for the deleted id is refused too.
    token = sign(claims(account.profile["id"], login_of(account)))
    assert_bearer_401(client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}))


def test_every_protected_route_refuses_a_missing_token(client):
    for method, path in [
        ("GET", "/api/v1/me"),
        ("PATCH", "/api/v1/me"),
        ("DELETE", "/api/v1/me"),
        ("POST", "/api/v1/me/password"),
    ]:
        assert_bearer_401(client.request(method, path, json={}))
