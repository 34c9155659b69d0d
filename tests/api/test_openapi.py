"""The OpenAPI document tells the truth about what each operation answers."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"
METHODS = ("get", "put", "post", "delete", "patch")
PUBLIC = {
    ("/api/v1/auth/register", "post"),
    ("/api/v1/auth/login", "post"),
    ("/api/v1/auth/refresh", "post"),
    ("/api/v1/auth/logout", "post"),
    ("/api/v1/version", "get"),
    ("/api/v1/recurring/calendar.ics", "get"),  # authorised by the secret token of its URL
}


@pytest.fixture(scope="module")
def document(api_url):
    import httpx

    response = httpx.get(f"{api_url}/api/schema/openapi.json", timeout=30)
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_it_is_openapi_3_1_and_lists_the_auth_routes(document):
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert {"/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/me"} <= set(paths)
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/me"])


def test_every_error_is_problem_json_and_litestars_default_is_gone(document):
    for path, method, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            assert PROBLEM in content, (path, method, status)
            assert "application/json" not in content, (path, method, status)
            schema = str(content[PROBLEM]["schema"])
            assert "status_code" not in schema, (path, method, status)


def test_public_routes_need_no_token_and_the_rest_document_401(document):
    for path, method, operation in operations(document):
        if (path, method) in PUBLIC:
            assert operation["security"] == [], (path, method)
        elif path.startswith("/api/v1/"):
            unauthorized = operation["responses"].get("401")
            assert unauthorized is not None, (path, method)
            assert "WWW-Authenticate" in unauthorized["headers"]


def test_inputs_document_400_413_422_and_the_database_503(document):
    for path, method, operation in operations(document):
        responses = operation["responses"]
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= set(responses), (path, method)
        if path.startswith("/api/"):
            assert "Retry-After" in responses["503"]["headers"], (path, method)


@pytest.mark.parametrize(
    ("path", "method", "statuses"),
    [
        ("/api/v1/auth/register", "post", {"201", "409", "422"}),
        ("/api/v1/auth/login", "post", {"200", "401", "422", "429"}),
        ("/api/v1/auth/refresh", "post", {"200", "401", "422"}),
        ("/api/v1/auth/logout", "post", {"204", "422"}),
        ("/api/v1/me", "get", {"200", "401"}),
        ("/api/v1/me", "patch", {"200", "401", "422"}),
        ("/api/v1/me/password", "post", {"204", "401", "403", "422"}),
        ("/api/v1/me", "delete", {"204", "401"}),
    ],
)
def test_auth_routes_document_their_contract_statuses(document, path, method, statuses):
    responses = document["paths"][path][method]["responses"]
    assert statuses <= set(responses)


def test_throttled_login_documents_retry_after(document):
    throttled = document["paths"]["/api/v1/auth/login"]["post"]["responses"]["429"]
    assert throttled["headers"]["Retry-After"]["required"] is True


def test_problem_details_schema_is_a_component(document):
    schema = document["components"]["schemas"]["ProblemDetails"]
    assert set(schema["required"]) == {"type", "title", "status", "detail"}


def test_metrics_are_documented_as_text(document):
    content = document["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["text/plain"]
