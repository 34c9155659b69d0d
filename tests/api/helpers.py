"""Small builders for the expense and category tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support import REPO_ROOT, Account


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


def import_rates(database_url: str, path: Path) -> str:
    """``expense-api rates import path`` against the session's database; its output."""
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "rates", "import", str(path)],
        cwd=REPO_ROOT,
        env={**os.environ, "APP_ENV": "test", "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def write_rates(path: Path, day: str, **rates: str) -> Path:
    """A daily file in the ECB's format: one day's euro rates."""
    path.write_text(f"Date, {', '.join(rates)}\n{day}, {', '.join(rates.values())}\n")
    return path
