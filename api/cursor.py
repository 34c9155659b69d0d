"""Opaque keyset cursors: the last row's ``(spent_on, id)``, signed for its owner.

The signature covers the user id, so a tampered cursor or another user's cursor
is refused (422) instead of being trusted as a position.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from datetime import date

from api.errors import Problem

_SIGNATURE_BYTES = 12


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"expense-cursor:" + secret.encode()).digest()


def encode_cursor(user_id: int, spent_on: date, expense_id: int, secret: str) -> str:
    payload = f"{spent_on.isoformat()}|{expense_id}".encode()
    signature = hmac.new(_key(secret), f"{user_id}|".encode() + payload, "sha256").digest()
    return base64.urlsafe_b64encode(payload + signature[:_SIGNATURE_BYTES]).decode().rstrip("=")


def decode_cursor(cursor: str, user_id: int, secret: str) -> tuple[date, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload, signature = raw[:-_SIGNATURE_BYTES], raw[-_SIGNATURE_BYTES:]
        expected = hmac.new(_key(secret), f"{user_id}|".encode() + payload, "sha256").digest()
        if not hmac.compare_digest(signature, expected[:_SIGNATURE_BYTES]):
            raise ValueError("bad signature")
        day, expense_id = payload.decode().split("|")
        return date.fromisoformat(day), int(expense_id)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise Problem(
            422,
            "The cursor is not valid; start again from the first page.",
            errors=[{"field": "cursor", "message": "Invalid cursor", "source": "query"}],
        ) from None
