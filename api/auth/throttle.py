"""Login throttling, counted in the database so every API replica agrees.

Per account (the lower-cased email, whether or not it exists): after
``MAX_ACCOUNT_FAILURES`` consecutive failures within the window, logins for it
answer 429 until the window ends. Per client address the limit is far looser,
because one office or carrier NAT address carries many honest users.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from api.database import pool

WINDOW_SECONDS = 15 * 60
MAX_ACCOUNT_FAILURES = 10
MAX_ADDRESS_FAILURES = 300


@dataclass(frozen=True, slots=True)
class Throttled:
    retry_after: int


def account_subject(email: str) -> str:
    return f"email:{email.strip().lower()}"


def address_subject(address: str) -> str:
    return f"ip:{address}"


_BLOCKED_FOR = """
SELECT subject, failures,
       EXTRACT(EPOCH FROM (window_started_at + make_interval(secs => $2) - now())) AS remaining
FROM login_failure
WHERE subject = ANY($1::text[]) AND window_started_at > now() - make_interval(secs => $2)
"""

_RECORD_FAILURE = """
INSERT INTO login_failure (subject, failures, window_started_at)
SELECT unnest($1::text[]), 1, now()
ON CONFLICT (subject) DO UPDATE SET
    failures = CASE WHEN login_failure.window_started_at <= now() - make_interval(secs => $2)
                    THEN 1 ELSE login_failure.failures + 1 END,
    window_started_at = CASE
        WHEN login_failure.window_started_at <= now() - make_interval(secs => $2) THEN now()
        ELSE login_failure.window_started_at END
"""


async def check(email: str, address: str) -> Throttled | None:
    """``Throttled`` when this account or address has used up its failures."""
    limits = {
        account_subject(email): MAX_ACCOUNT_FAILURES,
        address_subject(address): MAX_ADDRESS_FAILURES,
    }
    async with pool().acquire() as conn:
        rows = await conn.fetch(_BLOCKED_FOR, list(limits), float(WINDOW_SECONDS))
    waits = [row["remaining"] for row in rows if row["failures"] >= limits[row["subject"]]]
    if not waits:
        return None
    return Throttled(retry_after=max(1, math.ceil(max(waits))))


async def record_failure(email: str, address: str) -> None:
    async with pool().acquire() as conn:
        await conn.execute(
            _RECORD_FAILURE,
            [account_subject(email), address_subject(address)],
            float(WINDOW_SECONDS),
        )


async def record_success(email: str) -> None:
    # "Consecutive" failures: a successful login starts the account's count afresh.
    async with pool().acquire() as conn:
        await conn.execute("DELETE FROM login_failure WHERE subject = $1", account_subject(email))
