"""Hand-made access tokens, right and wrong, and the 401 every wrong one must get."""

from __future__ import annotations

import base64
import json
import time
import uuid

import jwt

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


def assert_bearer_401(response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 401
    assert body["title"]
    assert body["detail"]
