"""Small builders for the expense and category tests."""

from __future__ import annotations

import httpx

from tests.support import Account


def categories(client: httpx.Client, account: Account) -> dict[str, dict]:
    response = client.get("/api/v1/categories", headers=account.headers)
    assert response.status_code == 200, response.text
    return {item["name"]: item for item in response.json()["items"]}


def category_id(client: httpx.Client, account: Account, name: str = "Food") -> int:
    return categories(client, account)[name]["id"]


def add_expense(client: httpx.Client, account: Account, **fields: object) -> dict:
    body = {"amount": "10.00", "spent_on": "2026-03-15", "description": "", **fields}
    body.setdefault("category_id", category_id(client, account))
    response = client.post("/api/v1/expenses", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def list_all(client: httpx.Client, account: Account, **params: object) -> list[dict]:
    """Every page of the list, following ``next_cursor``."""
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get("/api/v1/expenses", params=query, headers=account.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items
