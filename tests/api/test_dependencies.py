"""Handlers resolve their dependencies in sequence (api/dependencies.py)."""

from __future__ import annotations

import inspect

from litestar._kwargs import kwargs_model
from litestar.testing import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import categories
from tests.support import TEST_JWT_SECRET, register_and_login


def _no_task_group() -> None:
    raise AssertionError("a handler's dependencies started a task group")


def test_handlers_with_several_dependencies_answer_without_a_task_group(database_url, monkeypatch):
    app = create_app(Settings(database_url=database_url, jwt_secret=TEST_JWT_SECRET))
    handlers = {
        route.path: {
            name
            for handler in route.route_handlers
            for name in inspect.signature(handler.fn).parameters
            if name in handler.resolve_dependencies()
        }
        for route in app.routes
        if hasattr(route, "route_handlers")
    }
    # The list takes three (the case Litestar ran as three tasks), the summary two.
    assert handlers["/api/v1/expenses"] >= {"user_id", "filters", "settings"}
    assert handlers["/api/v1/expenses/summary"] == {"user_id", "filters"}
    monkeypatch.setattr(kwargs_model, "create_task_group", _no_task_group)
    with TestClient(app) as client:
        account = register_and_login(client)
        food = categories(client, account)["Food"]["id"]
        for day in ("2026-03-01", "2026-03-02", "2026-03-03"):
            created = client.post(
                "/api/v1/expenses",
                json={"amount": "4.00", "category_id": food, "spent_on": day},
                headers=account.headers,
            )
            assert created.status_code == 201, created.text
        page = client.get("/api/v1/expenses?limit=2", headers=account.headers)
        assert page.status_code == 200, page.text
        assert [e["spent_on"] for e in page.json()["items"]] == ["2026-03-03", "2026-03-02"]
        rest = client.get(
            f"/api/v1/expenses?limit=2&cursor={page.json()['next_cursor']}",
            headers=account.headers,
        )
        assert [e["spent_on"] for e in rest.json()["items"]] == ["2026-03-01"]
        summary = client.get(
            f"/api/v1/expenses/summary?category_id={food}", headers=account.headers
        )
        assert summary.status_code == 200, summary.text
        assert (summary.json()["count"], summary.json()["total"]) == (3, "12.00")


def test_a_refused_dependency_still_answers_its_own_problem(database_url):
    # In sequence, a dependency that refuses raises its own error, not a group of them.
    app = create_app(Settings(database_url=database_url, jwt_secret=TEST_JWT_SECRET))
    with TestClient(app) as client:
        account = register_and_login(client)
        answer = client.get("/api/v1/expenses/summary?from=2026-13-01", headers=account.headers)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["errors"][0]["source"] == "query"
        stranger = client.get("/api/v1/expenses", headers={"Authorization": "Bearer nobody"})
        assert stranger.status_code == 401
