"""``expense-api prune``: delete what no request will ever need again.

Safe to run at any time and as often as wanted (a Kubernetes CronJob runs it
daily); each statement deletes only rows that are already dead:

- refresh tokens that expired (their login stays until it has no token left);
- logins that have no refresh token left (they can never be refreshed, and the
  access tokens they issued have expired by then, or are refused as revoked);
- throttle counters whose window ended more than a day ago;
- ``Idempotency-Key`` records older than the 24 hours they are honoured for;
- expenses in the trash for more than ``TRASH_DAYS`` days.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from api.idempotency import TTL_HOURS

TRASH_DAYS = 30

_STATEMENTS = {
    "refresh_tokens": "DELETE FROM refresh_token WHERE expires_at < now()",
    "logins": (
        "DELETE FROM login l WHERE l.created_at < now() - interval '1 day' "
        "AND NOT EXISTS (SELECT 1 FROM refresh_token t WHERE t.family_id = l.id)"
    ),
    "login_failures": (
        "DELETE FROM login_failure WHERE window_started_at < now() - interval '1 day'"
    ),
    "idempotency_records": (
        f"DELETE FROM idempotency_record WHERE created_at < now() - interval '{TTL_HOURS} hours'"
    ),
    "trashed_expenses": (
        f"DELETE FROM expense WHERE deleted_at < now() - interval '{TRASH_DAYS} days'"
    ),
}


@dataclass(frozen=True, slots=True)
class Pruned:
    counts: dict[str, int]


async def prune(conn: asyncpg.Connection) -> Pruned:
    """Delete every dead row; how many of each kind went."""
    counts = {}
    for name, sql in _STATEMENTS.items():
        status = await conn.execute(sql)
        counts[name] = int(status.split()[-1])
    return Pruned(counts)
