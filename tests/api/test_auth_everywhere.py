"""Every operation of the served OpenAPI document refuses a bad token.

The operations are read from the running server's own document, so a route added
tomorrow is walked tomorrow: it ships protected, or it is named below as public
(and the review of that line is the review of a public route).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import httpx
import jwt
import pytest

from tests.api.tokens import assert_bearer_401, claims, sign, unsigned
from tests.support import Account, register_and_login

# (method, path) that answer without an access token — the contract's four auth
# routes, the probes and metrics, the version the About box shows signed out, and
# the calendar feed (calendar apps send no bearer; its URL's secret token authorises).
PUBLIC = {
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/version"),
    ("GET", "/api/v1/recurring/calendar.ics"),
    ("GET", "/health"),
    ("GET", "/ready"),
    ("GET", "/metrics"),
}
METHODS = {"get", "post", "put", "patch", "delete"}
BAD_TOKENS: dict[str, Callable[[dict], str]] = {
    "wrong-signature": lambda good: sign(good, key="another-secret-" + "y" * 40),
    "alg-none": lambda good: unsigned(good),
    "expired": lambda good: sign(
        {**good, "iat": int(time.time()) - 600, "exp": int(time.time()) - 5}
    ),
}


def good_claims(account: Account) -> dict:
    """Claims right in every respect (a real token's, e.g. its login ``sid``, kept),
    freshly timed: each bad token above is then wrong in exactly one way."""
    real = jwt.decode(account.access_token, options={"verify_signature": False})
    return {**real, **claims(account.profile["id"])}


def served_operations(api_url: str) -> list[tuple[str, str, dict]]:
    document = httpx.get(f"{api_url}/api/schema/openapi.json", timeout=30).json()
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def concrete(path: str) -> str:
    """The path with every parameter filled: ids are integers."""
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture(scope="module")
def owner(api_url: str) -> Account:
    with httpx.Client(base_url=api_url, timeout=30) as http:
        return register_and_login(http)


def test_the_walk_covers_every_resource_and_the_public_list_is_what_the_document_says(api_url):
    operations = served_operations(api_url)
    protected = {(m, p) for m, p, _ in operations} - PUBLIC
    # A document that lost routes would make the walk below vacuous.
    for prefix in ("me", "categories", "expenses", "analytics"):
        assert any(p.startswith(f"/api/v1/{prefix}") for _, p in protected), prefix
    assert ("POST", "/api/v1/expenses/import") in protected
    assert ("GET", "/api/v1/expenses/export.csv") in protected
    # The document's own `security: []` marks exactly the public operations it lists.
    marked_public = {(m, p) for m, p, op in operations if op.get("security") == []}
    assert marked_public == PUBLIC & {(m, p) for m, p, _ in operations}
    for method, path, operation in operations:
        if (method, path) not in PUBLIC:
            assert "401" in operation["responses"], (method, path)


def test_every_protected_operation_refuses_a_missing_or_bad_token(api_url, owner, client):
    walked = 0
    for method, path, _ in served_operations(api_url):
        if (method, path) in PUBLIC:
            continue
        target = concrete(path)
        body = {"json": {}} if method in {"POST", "PUT", "PATCH"} else {}
        response = client.request(method, target, **body)
        assert_bearer_401(response)
        for kind, make in BAD_TOKENS.items():
            headers = {"Authorization": f"Bearer {make(good_claims(owner))}"}
            response = client.request(method, target, headers=headers, **body)
            assert response.status_code == 401, (kind, method, path, response.text)
            assert_bearer_401(response)
        walked += 1
    assert walked >= 19  # the first release has 19


def test_the_same_requests_with_a_good_token_get_past_authentication(api_url, client):
    # Proves the 401s above come from the token, not from a path that never matched,
    # and that the crafted claims are right but for the one thing each gets wrong.
    account = register_and_login(client)
    crafted = {"Authorization": f"Bearer {sign(good_claims(account))}"}
    assert client.get("/api/v1/me", headers=crafted).status_code == 200
    # Deleting the account goes last; every request gets a login of its own, since
    # some end the session they came with (sign out everywhere).
    operations = sorted(
        served_operations(api_url), key=lambda op: (op[0], op[1]) == ("DELETE", "/api/v1/me")
    )
    credentials = {"email": account.email, "password": account.password}
    for method, path, _ in operations:
        if (method, path) in PUBLIC:
            continue
        login = client.post("/api/v1/auth/login", json=credentials)
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        body = {"json": {}} if method in {"POST", "PUT", "PATCH"} else {}
        response = client.request(method, concrete(path), headers=headers, **body)
        assert response.status_code != 401, (method, path, response.text)
