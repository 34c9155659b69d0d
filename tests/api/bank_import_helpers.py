"""Uploading statements to the bank-import routes, and reading back what they wrote."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.support import Account

FILES = Path(__file__).parent / "bank_files"
PREVIEW = "/api/v1/imports/preview"
IMPORTS = "/api/v1/imports"


def send(
    client: httpx.Client,
    user: Account,
    statement: str | bytes,
    route: str = PREVIEW,
    **fields: Any,
) -> httpx.Response:
    """POST a statement (a file of bank_files/ or bytes) with optional form fields."""
    data = (FILES / statement).read_bytes() if isinstance(statement, str) else statement
    form = {
        name: json.dumps(value)
        if name == "mapping"
        else (str(value).lower() if isinstance(value, bool) else str(value))
        for name, value in fields.items()
    }
    return client.post(
        route,
        files={"file": ("statement", data, "application/octet-stream")},
        data=form,
        headers=user.headers,
    )


def preview(client: httpx.Client, user: Account, statement: str | bytes, **fields: Any) -> dict:
    response = send(client, user, statement, **fields)
    assert response.status_code == 200, response.text
    return response.json()


def commit(client: httpx.Client, user: Account, statement: str | bytes, **fields: Any) -> dict:
    response = send(client, user, statement, IMPORTS, **fields)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{IMPORTS}/{response.json()['import_id']}"
    return response.json()


def stored(database_url: str, account: Account) -> list[dict]:
    """The account's expenses (trash included) straight from the database, by id."""

    async def fetch() -> list[dict]:
        conn = await asyncpg.connect(database_url)
        try:
            rows = await conn.fetch(
                "SELECT e.spent_on::text AS spent_on, e.amount::text AS amount, e.currency,"
                " e.base_amount::text AS base_amount,"
                " e.description, c.name AS category, e.account, e.external_id, e.import_id,"
                " e.deleted_at IS NOT NULL AS trashed,"
                " coalesce((SELECT array_agg(t.name ORDER BY t.name) FROM expense_tag et"
                "  JOIN tag t ON t.id = et.tag_id WHERE et.expense_id = e.id), '{}') AS tags"
                " FROM expense e JOIN category c ON c.id = e.category_id"
                " WHERE e.user_id = $1 ORDER BY e.id",
                account.profile["id"],
            )
        finally:
            await conn.close()
        return [dict(row) for row in rows]

    return asyncio.run(fetch())
