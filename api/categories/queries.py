"""SQL for category writes that must share a connection with other domains' writes."""

from __future__ import annotations

import asyncpg


async def lock_owned(conn: asyncpg.Connection, user_id: int, category_id: int) -> bool:
    """Lock the user's category against concurrent use until the transaction ends.

    Taken first by a delete, so an expense created or moved into the category
    meanwhile waits and then finds it gone (422), instead of deadlocking with the
    delete or making it fail half-way.
    """
    return bool(
        await conn.fetchval(
            "SELECT true FROM category WHERE id = $1 AND user_id = $2 FOR UPDATE",
            category_id,
            user_id,
        )
    )


async def owned(conn: asyncpg.Connection, user_id: int, category_id: int) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT true FROM category WHERE id = $1 AND user_id = $2 FOR KEY SHARE",
            category_id,
            user_id,
        )
    )


async def delete(conn: asyncpg.Connection, user_id: int, category_id: int) -> None:
    """Delete the category; ``asyncpg.ForeignKeyViolationError`` while expenses use it."""
    await conn.execute("DELETE FROM category WHERE id = $1 AND user_id = $2", category_id, user_id)
