"""Seeding and reading the real API for desktop tests (plain httpx, as a script would)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from tests.support import Account

HEADER = "date,category,description,amount,notes\n"


def import_rows(client: httpx.Client, account: Account, rows: list[tuple]) -> dict:
    """Create expenses through CSV import: ``(date, category, description, amount[, notes])``."""
    lines = [HEADER]
    for row in rows:
        day, category, description, amount, *rest = row
        notes = rest[0] if rest else ""
        lines.append(f"{day.isoformat()},{category},{description},{amount},{notes}\n")
    response = client.post(
        "/api/v1/expenses/import",
        content="".join(lines).encode(),
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    return response.json()


def all_expenses(client: httpx.Client, account: Account, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        query = {**{k: str(v) for k, v in params.items()}, "limit": "500"}
        if cursor:
            query["cursor"] = cursor
        page = client.get("/api/v1/expenses", params=query, headers=account.headers)
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if not cursor:
            return items


def summary(client: httpx.Client, account: Account, **params) -> dict:
    response = client.get(
        "/api/v1/expenses/summary",
        params={k: str(v) for k, v in params.items()},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


def category_id(client: httpx.Client, account: Account, name: str) -> int:
    items = client.get("/api/v1/categories", headers=account.headers).json()["items"]
    return next(item["id"] for item in items if item["name"] == name)


def money(value: str) -> Decimal:
    return Decimal(value)


def today() -> date:
    from desktop.filters import today as local_today

    return local_today()


def create(client: httpx.Client, account: Account, **body) -> dict:
    """POST one expense as a script would (amounts as strings, dates ISO)."""
    body = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in body.items()}
    response = client.post("/api/v1/expenses", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def create_expense(client: httpx.Client, account: Account, **fields) -> dict:
    """``create`` dated today, the category by name (``category="Food"``)."""
    body = {"spent_on": today(), "description": "", **fields}
    if "category" in body:
        body["category_id"] = category_id(client, account, body.pop("category"))
    return create(client, account, **body)


def tags(client: httpx.Client, account: Account) -> dict[str, int]:
    response = client.get("/api/v1/tags", headers=account.headers)
    assert response.status_code == 200, response.text
    return {item["name"]: item["count"] for item in response.json()["items"]}


def expense(client: httpx.Client, account: Account, expense_id: int) -> dict:
    response = client.get(f"/api/v1/expenses/{expense_id}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def import_rates(database_url: str) -> None:
    """The API tests' shipped euro reference rates, loaded by ``expense-api rates import``
    (idempotent): 2024-12-02, 2024-12-19/20 (EUR 1.0354/1.039 USD), 2025-01-03 and more."""
    import os
    import subprocess
    import sys

    from tests.support import REPO_ROOT

    for name in ("eurofxref-hist.csv", "eurofxref.csv"):
        result = subprocess.run(
            [sys.executable, "-m", "api.cli", "rates", "import", f"tests/api/rates/{name}"],
            cwd=REPO_ROOT,
            env={**os.environ, "APP_ENV": "test", "DATABASE_URL": database_url},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
