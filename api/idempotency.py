"""``Idempotency-Key`` for creates: the first answer is stored and replayed for 24 hours.

The record is inserted in the same transaction as the expense. A concurrent
request with the same key blocks on the unique index until the first commits,
then replays its answer; if the first fails, its record rolls back with it and
the key stays free.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import asyncpg

from api.errors import Problem

TTL_HOURS = 24


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    body: bytes
    location: str | None


def fingerprint(canonical_request: bytes) -> str:
    return hashlib.sha256(canonical_request).hexdigest()


async def once(
    conn: asyncpg.Connection,
    user_id: int,
    key: str,
    request_fingerprint: str,
    perform: Callable[[], Awaitable[StoredResponse]],
) -> StoredResponse:
    """Run ``perform`` once per (user, key); later calls get its stored response."""
    async with conn.transaction():
        await conn.execute(
            "DELETE FROM idempotency_record WHERE user_id = $1 AND key = $2 "
            f"AND created_at < now() - interval '{TTL_HOURS} hours'",
            user_id,
            key,
        )
        record_id = await conn.fetchval(
            "INSERT INTO idempotency_record (user_id, key, fingerprint, created_at) "
            "VALUES ($1, $2, $3, now()) ON CONFLICT (user_id, key) DO NOTHING RETURNING id",
            user_id,
            key,
            request_fingerprint,
        )
        if record_id is not None:
            response = await perform()
            await conn.execute(
                "UPDATE idempotency_record SET status_code = $2, response_body = $3, location = $4 "
                "WHERE id = $1",
                record_id,
                response.status_code,
                response.body,
                response.location,
            )
            return response
        stored = await conn.fetchrow(
            "SELECT fingerprint, status_code, response_body, location FROM idempotency_record "
            "WHERE user_id = $1 AND key = $2",
            user_id,
            key,
        )
    if stored is None or stored["status_code"] is None:
        raise Problem(409, "A request with this Idempotency-Key is still being processed.")
    if stored["fingerprint"] != request_fingerprint:
        raise Problem(409, "This Idempotency-Key was already used with a different request body.")
    return StoredResponse(stored["status_code"], bytes(stored["response_body"]), stored["location"])
