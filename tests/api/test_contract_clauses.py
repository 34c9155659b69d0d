"""Clauses of API.md that had no test: malformed JSON on resource routes, the token
lifetimes an operator sets, list limits, dry runs of invalid files, account deletion
that touches no one else, and a production server that never migrates."""

from __future__ import annotations

import httpx
import jwt
import pytest

from tests.api.helpers import add_expense, category_id, list_all
from tests.support import (
    TEST_JWT_SECRET,
    ApiServer,
    fresh_database,
    register_and_login,
    run_sql,
)

IMPORT = "/api/v1/expenses/import"
HEADER = "date,category,description,amount,notes\n"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/categories"),
        ("PATCH", "/api/v1/categories/{food}"),
        ("POST", "/api/v1/expenses"),
        ("PATCH", "/api/v1/expenses/{expense}"),
        ("PATCH", "/api/v1/me"),
        ("POST", "/api/v1/me/password"),
    ],
)
@pytest.mark.parametrize("body", ['{"name": ', "not json", '{"a": 1}}', "[1, 2"])
def test_malformed_json_on_resource_routes_is_400_problem_details(
    client, account, method, path, body
):
    ids = {"food": category_id(client, account), "expense": add_expense(client, account)["id"]}
    headers = {**account.headers, "Content-Type": "application/json"}
    response = client.request(method, path.format(**ids), content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 400


def test_token_ttls_from_the_environment_shape_the_tokens_issued(database_url, tmp_path):
    server = ApiServer(
        database_url,
        tmp_path / "server.log",
        extra_env={"ACCESS_TOKEN_TTL": "120", "REFRESH_TOKEN_TTL": "7200"},
    ).start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            account = register_and_login(http)
    finally:
        server.stop()
    claims = jwt.decode(
        account.access_token, TEST_JWT_SECRET, algorithms=["HS256"], options={"verify_aud": False}
    )
    assert claims["exp"] - claims["iat"] == 120
    rows = run_sql(
        database_url,
        "SELECT extract(epoch FROM expires_at - created_at) AS ttl FROM refresh_token"
        " WHERE user_id = $1",
        account.profile["id"],
    )
    assert [round(row["ttl"]) for row in rows] == [7200]


def test_list_limit_defaults_to_50_and_accepts_500(client, account):
    rows = "".join(f"2026-02-{1 + i % 28:02d},Food,row {i},1.00,\n" for i in range(501))
    headers = {**account.headers, "Content-Type": "text/csv"}
    assert client.post(IMPORT, content=HEADER + rows, headers=headers).status_code == 200
    default = client.get("/api/v1/expenses", headers=account.headers).json()
    assert len(default["items"]) == 50
    assert default["next_cursor"] is not None
    most = client.get("/api/v1/expenses", params={"limit": 500}, headers=account.headers)
    assert most.status_code == 200
    assert len(most.json()["items"]) == 500
    rest = client.get(
        "/api/v1/expenses",
        params={"limit": 500, "cursor": most.json()["next_cursor"]},
        headers=account.headers,
    ).json()
    assert (len(rest["items"]), rest["next_cursor"]) == (1, None)


def test_a_dry_run_with_invalid_rows_is_422_with_the_report_and_writes_nothing(
    client, account, database_url
):
    text = HEADER + "2026-01-01,Brand new,fine,1.00,\n2026-01-02,Food,bad,0,\n"
    headers = {**account.headers, "Content-Type": "text/csv"}
    response = client.post(IMPORT, content=text, params={"dry_run": "true"}, headers=headers)
    assert response.status_code == 422, response.text
    body = response.json()
    assert (body["created"], body["duplicates"]) == (0, 0)
    assert [error["line"] for error in body["errors"]] == [3]
    assert list_all(client, account) == []
    names = {
        c["name"] for c in client.get("/api/v1/categories", headers=account.headers).json()["items"]
    }
    assert "Brand new" not in names


def test_deleting_an_account_leaves_every_other_account_intact(client, account, other_account):
    theirs = add_expense(client, other_account, description="still here")
    add_expense(client, account, description="going away")
    before = client.get("/api/v1/categories", headers=other_account.headers).json()
    assert client.delete("/api/v1/me", headers=account.headers).status_code == 204
    assert list_all(client, other_account) == [theirs]
    assert client.get("/api/v1/categories", headers=other_account.headers).json() == before
    assert client.get("/api/v1/me", headers=other_account.headers).json() == other_account.profile
    login = {"email": other_account.email, "password": other_account.password}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200


def test_a_production_server_applies_no_migration(postgres_url, tmp_path):
    # An empty database: a server that migrated itself would create the tables.
    with fresh_database(postgres_url, prefix="expense_prod") as empty:
        server = ApiServer(
            empty, tmp_path / "server.log", extra_env={"APP_ENV": "production"}
        ).start()
        # start() returns once /health answers, and the lifespan (where a server
        # would migrate itself) completes before the first answer.
        server.stop()
        tables = run_sql(
            empty,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        )
        assert tables == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/expenses",
        "/api/v1/expenses/summary",
        "/api/v1/expenses/export.csv",
        "/api/v1/analytics/categories",
    ],
)
def test_a_bad_query_parameter_is_named_as_the_client_wrote_it(client, account, path):
    # `from` and `to` are date_from and date_to in Python; the client never saw those.
    answer = client.get(f"{path}?from=2026-13-01&to=soon", headers=account.headers)
    assert answer.status_code == 422, answer.text
    fields = sorted(error["field"] for error in answer.json()["errors"])
    assert fields in (["from"], ["from", "to"], ["to"]), answer.text
    assert "date_" not in answer.text
