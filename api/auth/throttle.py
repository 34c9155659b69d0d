"""Throttles counted in the database, so every API replica sees the same counters.

- Sign-in, per account: after ``MAX_ACCOUNT_FAILURES`` consecutive failures within
  the window, logins for it answer 429 until the window ends. The key is the
  account's id when the email belongs to one (so no spelling of the email, ``İ``
  or otherwise, gets a fresh budget) and a digest of the casefolded email when not.
  Per client address the limit is far looser: one office NAT carries many users.
- ``/me/password``, per account: wrong current passwords, as for sign-in.
- Registration, per client address: every attempt counts, within an hour.

Every attempt is counted *before* its password is checked and given back when it
succeeds. Counting afterwards would let a burst of parallel guesses all pass the
check while the first ones are still hashing; the row lock of the upsert makes
the limit exact however many requests arrive at once.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from api.database import pool

WINDOW_SECONDS = 15 * 60
MAX_ACCOUNT_FAILURES = 10
MAX_ADDRESS_FAILURES = 300
MAX_PASSWORD_FAILURES = 10
REGISTER_WINDOW_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class Throttled:
    retry_after: int


def account_subject(user_id: int | None, email: str) -> str:
    if user_id is not None:
        return f"account:{user_id}"
    return "email:" + hashlib.sha256(email.strip().casefold().encode()).hexdigest()


def address_subject(address: str) -> str:
    return f"ip:{address}"


def password_subject(user_id: int) -> str:
    return f"password:{user_id}"


def register_subject(address: str) -> str:
    return f"register:{address}"


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


async def reserve(subject: str, limit: int, window: int = WINDOW_SECONDS) -> Throttled | None:
    """Count one attempt for ``subject``; ``Throttled`` when it is over ``limit``."""
    async with pool().acquire() as conn:
        row = await conn.fetchrow(_RESERVE, subject, float(window), limit)
    if row["failures"] <= limit:
        return None
    # Retry-After is when the window that holds these failures ends.
    return Throttled(retry_after=max(1, math.ceil(row["remaining"])))


async def release(subject: str) -> None:
    """Give one counted attempt back."""
    async with pool().acquire() as conn:
        await conn.execute(_RELEASE, subject)


async def clear(subject: str) -> None:
    """The attempt was right: the subject starts afresh."""
    async with pool().acquire() as conn:
        await conn.execute("DELETE FROM login_failure WHERE subject = $1", subject)


async def begin_login(account: str, address: str) -> Throttled | None:
    """Count a login attempt as a failure up front, against the account and address."""
    blocked = await reserve(account, MAX_ACCOUNT_FAILURES)
    if blocked is not None:
        return blocked
    blocked = await reserve(address_subject(address), MAX_ADDRESS_FAILURES)
    if blocked is not None:
        # Refused before any password check: it must not count against the account.
        await release(account)
    return blocked


async def login_succeeded(account: str, address: str) -> None:
    async with pool().acquire() as conn, conn.transaction():
        await conn.execute("DELETE FROM login_failure WHERE subject = $1", account)
        await conn.execute(_RELEASE, address_subject(address))
