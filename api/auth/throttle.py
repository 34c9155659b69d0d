"""Login throttling, counted in the database so every API replica agrees.

Per account (the lower-cased email, whether or not it exists): after
``MAX_ACCOUNT_FAILURES`` consecutive failures within the window, logins for it
answer 429 until the window ends. Per client address the limit is far looser,
because one office or carrier NAT address carries many honest users.

Every attempt is counted *before* its password is checked and given back when it
succeeds. Counting afterwards would let a burst of parallel guesses all pass the
check while the first ones are still hashing; the row lock of the upsert makes
the limit exact however many requests arrive at once.
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


# Counts one attempt for $1 unless it is already over its limit $3. The count stops
# at limit + 1, so "over the limit" is visible in the result and a blocked subject's
# window is never extended. An expired window starts afresh at this attempt.
_RESERVE = """
INSERT INTO login_failure AS f (subject, failures, window_started_at)
VALUES ($1, 1, now())
ON CONFLICT (subject) DO UPDATE SET
    failures = CASE WHEN f.window_started_at <= now() - make_interval(secs => $2) THEN 1
                    ELSE least(f.failures + 1, $3 + 1) END,
    window_started_at = CASE
        WHEN f.window_started_at <= now() - make_interval(secs => $2) THEN now()
        ELSE f.window_started_at END
RETURNING failures,
    EXTRACT(EPOCH FROM (window_started_at + make_interval(secs => $2) - now())) AS remaining
"""

_RELEASE = """
UPDATE login_failure SET failures = greatest(failures - 1, 0) WHERE subject = $1
"""


async def _reserve(subject: str, limit: int) -> Throttled | None:
    async with pool().acquire() as conn:
        row = await conn.fetchrow(_RESERVE, subject, float(WINDOW_SECONDS), limit)
    if row["failures"] <= limit:
        return None
    # Retry-After is when the window that holds these failures ends.
    return Throttled(retry_after=max(1, math.ceil(row["remaining"])))


async def begin_attempt(email: str, address: str) -> Throttled | None:
    """Count a login attempt as a failure up front; ``Throttled`` when over a limit."""
    blocked = await _reserve(account_subject(email), MAX_ACCOUNT_FAILURES)
    if blocked is not None:
        return blocked
    blocked = await _reserve(address_subject(address), MAX_ADDRESS_FAILURES)
    if blocked is not None:
        # Refused before any password check: it must not count against the account.
        await _release(account_subject(email))
    return blocked


async def _release(subject: str) -> None:
    async with pool().acquire() as conn:
        await conn.execute(_RELEASE, subject)


async def record_success(email: str, address: str) -> None:
    """The attempt was right: the account starts afresh, the address gets it back."""
    async with pool().acquire() as conn, conn.transaction():
        await conn.execute("DELETE FROM login_failure WHERE subject = $1", account_subject(email))
        await conn.execute(_RELEASE, address_subject(address))
