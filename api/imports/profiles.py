"""SQL for import profiles: saved CSV mappings, one per bank."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from wire.imports import ImportMapping, ImportProfile

_COLUMNS = "id, name, mapping"


def _profile(row: asyncpg.Record) -> ImportProfile:
    return ImportProfile(
        id=row["id"],
        name=row["name"],
        mapping=msgspec.json.decode(row["mapping"], type=ImportMapping),
    )


async def list_profiles(conn: asyncpg.Connection, user_id: int) -> list[ImportProfile]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM import_profile WHERE user_id = $1 ORDER BY lower(name), id",
        user_id,
    )
    return [_profile(row) for row in rows]


async def get(conn: asyncpg.Connection, user_id: int, profile_id: int) -> ImportProfile | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM import_profile WHERE id = $1 AND user_id = $2",
        profile_id,
        user_id,
    )
    return _profile(row) if row else None


async def insert(
    conn: asyncpg.Connection, user_id: int, name: str, mapping: ImportMapping
) -> ImportProfile:
    row = await conn.fetchrow(
        "INSERT INTO import_profile (user_id, name, mapping) VALUES ($1, $2, $3::jsonb)"
        f" RETURNING {_COLUMNS}",
        user_id,
        name,
        msgspec.json.encode(mapping).decode(),
    )
    return _profile(row)


async def update(
    conn: asyncpg.Connection, user_id: int, profile_id: int, changes: dict[str, Any]
) -> ImportProfile | None:
    row = await conn.fetchrow(
        "UPDATE import_profile SET name = coalesce($3, name),"
        " mapping = coalesce($4::jsonb, mapping) WHERE id = $1 AND user_id = $2"
        f" RETURNING {_COLUMNS}",
        profile_id,
        user_id,
        changes.get("name"),
        msgspec.json.encode(changes["mapping"]).decode() if "mapping" in changes else None,
    )
    return _profile(row) if row else None


async def delete(conn: asyncpg.Connection, user_id: int, profile_id: int) -> bool:
    status = await conn.execute(
        "DELETE FROM import_profile WHERE id = $1 AND user_id = $2", profile_id, user_id
    )
    return status == "DELETE 1"
