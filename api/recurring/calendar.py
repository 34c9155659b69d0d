"""The calendar feed: a secret URL per user, and the RFC 5545 text it serves.

A token is ``<selector>.<verifier>``: the selector finds the row, and only the
SHA-256 of the verifier is stored, compared with :func:`hmac.compare_digest`. A
database leak gives no working URL, and the comparison time tells nothing about
how much of a guess was right. One token per user: a new one replaces the old.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import asyncpg

from wire.recurring import Occurrence

_UPSERT = """
INSERT INTO calendar_token (user_id, selector, verifier_hash) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET selector = EXCLUDED.selector,
                                    verifier_hash = EXCLUDED.verifier_hash
"""
_FIND = "SELECT user_id, verifier_hash FROM calendar_token WHERE selector = $1"
_REVOKE = "DELETE FROM calendar_token WHERE user_id = $1"
# A selector has 16 URL-safe characters; a verifier 43 (256 bits).
MAX_TOKEN = 100


def _digest(verifier: str) -> str:
    return hashlib.sha256(verifier.encode()).hexdigest()


async def new_token(conn: asyncpg.Connection, user_id: int) -> str:
    """A fresh token for the user's feed; the previous one stops working."""
    selector, verifier = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
    await conn.execute(_UPSERT, user_id, selector, _digest(verifier))
    return f"{selector}.{verifier}"


async def revoke(conn: asyncpg.Connection, user_id: int) -> None:
    await conn.execute(_REVOKE, user_id)


async def owner(conn: asyncpg.Connection, token: str) -> int | None:
    """The user whose feed ``token`` opens, or ``None``."""
    selector, dot, verifier = token.partition(".")
    if not dot or len(token) > MAX_TOKEN:
        return None
    row = await conn.fetchrow(_FIND, selector)
    # Compared even when no row was found, so a miss costs the same as a near hit.
    stored = row["verifier_hash"] if row else "0" * 64
    if hmac.compare_digest(stored, _digest(verifier)) and row is not None:
        return row["user_id"]
    return None


def _text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT escaping."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (§3.1), never
    cutting a UTF-8 character in two."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def render(occurrences: Iterable[Occurrence], now: datetime | None = None) -> str:
    """A VCALENDAR with one all-day VEVENT per occurrence."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Expense Tracker//Recurring expenses//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Recurring expenses",
    ]
    for item in occurrences:
        summary = f"{item.description}: {item.amount} {item.currency}"
        if item.status != "expected":
            summary += f" ({item.status})"
        lines += [
            "BEGIN:VEVENT",
            f"UID:recurring-{item.recurring_id}-{item.due:%Y%m%d}@expense-tracker",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_text(summary)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
