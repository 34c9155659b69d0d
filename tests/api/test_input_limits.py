"""API.md "Input limits (every route)": each bad input a schema fuzzer found is a 4xx.

Every case here answered 500 before (asyncpg DataError on int64 overflow,
PostgreSQL 22021 on U+0000, msgspec RecursionError, Decimal InvalidOperation,
int() of a superscript digit in If-Match).
"""

from __future__ import annotations

import json

import httpx
import pytest

from tests.api.helpers import add_expense, category_id
from tests.support import Account, unique_email

HUGE_ID = "439117451496287895334567280640"


def problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/v1/expenses/{HUGE_ID}"),
        ("PATCH", f"/api/v1/expenses/{HUGE_ID}"),
        ("DELETE", f"/api/v1/expenses/{HUGE_ID}"),
        ("PATCH", "/api/v1/categories/53043930595386302464"),
        ("DELETE", "/api/v1/categories/53043930595386302464"),
        ("GET", "/api/v1/expenses/0"),
        ("GET", "/api/v1/expenses/9223372036854775808"),
    ],
)
def test_an_id_out_of_range_in_a_path_is_404(client, account, method, path):
    body = {"description": "x"} if method == "PATCH" else None
    response = client.request(method, path, json=body, headers=account.headers)
    problem(response, 404)


def test_the_largest_id_is_a_plain_404(client, account):
    problem(client.get("/api/v1/expenses/9223372036854775807", headers=account.headers), 404)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/expenses/export.csv", {"category_id": "23600758431081463545856"}),
        ("/api/v1/expenses", {"category_id": HUGE_ID}),
        ("/api/v1/expenses/summary", {"category_id": "0"}),
        ("/api/v1/analytics/monthly", {"category_id": HUGE_ID}),
    ],
)
def test_an_id_out_of_range_in_a_query_is_422(client, account, path, params):
    body = problem(client.get(path, params=params, headers=account.headers), 422)
    assert body["errors"][0]["field"] == "category_id"


def test_an_id_out_of_range_in_a_body_is_422(client, account):
    response = client.post(
        "/api/v1/expenses",
        content=f'{{"amount": "1.00", "spent_on": "2026-01-01", "category_id": {HUGE_ID}}}',
        headers={**account.headers, "Content-Type": "application/json"},
    )
    assert problem(response, 422)["errors"][0]["field"] == "category_id"


def test_reassigning_to_an_id_out_of_range_is_422(client, account):
    food = category_id(client, account)
    response = client.delete(
        f"/api/v1/categories/{food}", params={"reassign_to": HUGE_ID}, headers=account.headers
    )
    problem(response, 422)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/expenses", {"description": "a\u0000b"}, "description"),
        ("/api/v1/expenses", {"notes": "\u0000"}, "notes"),
        ("/api/v1/categories", {"name": "Fo\u0000od"}, "name"),
    ],
)
def test_nul_in_a_body_text_is_422_naming_the_field(client, account, path, body, field):
    if path == "/api/v1/expenses":
        body = {"amount": "1.00", "spent_on": "2026-01-01", **body}
        body["category_id"] = category_id(client, account)
    assert problem(client.post(path, json=body, headers=account.headers), 422)["errors"] == [
        {"field": field, "message": "Must not contain the NUL character", "source": "body"}
    ]


def test_nul_in_a_login_email_is_422(client):
    response = client.post(
        "/api/v1/auth/login", json={"email": "a\u0000@example.com", "password": "whatever1"}
    )
    problem(response, 422)


def test_nul_in_a_query_value_is_422(client, account):
    problem(client.get("/api/v1/expenses", params={"q": "a\u0000"}, headers=account.headers), 422)


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_deeper_than_32_levels_is_400(client, account):
    for depth in (33, 1000, 30_000):  # 30,000 levels: 60 KB, within the body cap
        response = client.post(
            "/api/v1/categories",
            content=nested(depth),
            headers={**account.headers, "Content-Type": "application/json"},
        )
        assert "nested deeper" in problem(response, 400)["detail"]


def test_json_32_levels_deep_is_read_and_judged_by_its_content(client, account):
    response = client.post(
        "/api/v1/categories",
        content=nested(32),
        headers={**account.headers, "Content-Type": "application/json"},
    )
    problem(response, 422)  # an array is not a category, but it was read


def test_a_json_body_over_64_kib_is_413(client, account):
    body = {"amount": "1.00", "spent_on": "2026-01-01", "category_id": 1, "notes": "x" * 70_000}
    problem(client.post("/api/v1/expenses", json=body, headers=account.headers), 413)


def test_malformed_json_on_a_resource_route_is_400(client, account):
    response = client.post(
        "/api/v1/expenses",
        content=b'{"amount": ',
        headers={**account.headers, "Content-Type": "application/json"},
    )
    problem(response, 400)


@pytest.mark.parametrize(
    "amount", ['"1_000"', "1e3", '"1e3"', '"\u0661\u0662"', '"1.500"', "1.500", '"12,50"', "1e-2"]
)
def test_amounts_that_decimal_would_read_are_422(client, account, amount):
    food = category_id(client, account)
    response = client.post(
        "/api/v1/expenses",
        content=f'{{"amount": {amount}, "spent_on": "2026-01-01", "category_id": {food}}}',
        headers={**account.headers, "Content-Type": "application/json"},
    )
    assert problem(response, 422)["errors"][0]["field"] == "amount"


@pytest.mark.parametrize(
    ("amount", "stored"), [("12.5", "12.50"), ("7", "7.00"), ('"0.05"', "0.05")]
)
def test_json_numbers_and_strings_in_the_grammar_are_accepted(client, account, amount, stored):
    food = category_id(client, account)
    response = client.post(
        "/api/v1/expenses",
        content=f'{{"amount": {amount}, "spent_on": "2026-01-01", "category_id": {food}}}',
        headers={**account.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["amount"] == stored


@pytest.mark.parametrize("bound", ["1e26", "1_000", "NaN", "0.001", "1000000000.00"])
def test_bad_amount_bounds_are_422(client, account, bound):
    for name in ("min_amount", "max_amount"):
        response = client.get("/api/v1/expenses", params={name: bound}, headers=account.headers)
        assert problem(response, 422)["errors"][0]["field"] == name


def if_match(client: httpx.Client, account: Account, expense: dict, header: str) -> int:
    response = client.patch(
        f"/api/v1/expenses/{expense['id']}",
        json={"description": "changed"},
        # Bytes: the header is sent as the client typed it, non-ASCII included.
        headers={**account.headers, "If-Match": header.encode()},
    )
    return response.status_code


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ('"2147483648"', 412),
        ('"99999999999999999999999"', 412),
        ('"\u00b2"', 412),
        ("garbage", 412),
        ('W/"1"', 412),
        ('"3", "4"', 412),
        ('"3", "1"', 200),
        ('"1", "3"', 200),
        ("*", 200),
        ('"1"', 200),
    ],
)
def test_if_match_lists_and_unparsable_tags(client, account, header, status):
    expense = add_expense(client, account)
    assert expense["version"] == 1
    assert if_match(client, account, expense, header) == status


def test_an_empty_patch_honours_if_match_lists_too(client, account):
    expense = add_expense(client, account)
    url = f"/api/v1/expenses/{expense['id']}"
    stale = client.patch(url, json={}, headers={**account.headers, "If-Match": '"5", "6"'})
    assert stale.status_code == 412
    fresh = client.patch(url, json={}, headers={**account.headers, "If-Match": '"5", "1"'})
    assert fresh.status_code == 200


def test_a_320_character_dotted_i_email_is_a_401_not_a_500(client):
    email = "\u0130" * 300 + "@example.com"
    response = client.post("/api/v1/auth/login", json={"email": email, "password": "whatever1"})
    problem(response, 401)


def test_register_refuses_a_nul_in_the_password_field_name(client):
    body = json.dumps({"email": unique_email(), "pass\u0000word": "x" * 10})
    response = client.post(
        "/api/v1/auth/register", content=body, headers={"Content-Type": "application/json"}
    )
    problem(response, 422)
