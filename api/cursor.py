"""Opaque keyset cursors: the last row's sort key and id, signed for its owner and order.

The signature covers the user id and the ordering the cursor was made for (e.g.
``amount:asc``), so a tampered cursor, another user's cursor, or one made for
another sort is refused (422) instead of being trusted as a position.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac

import msgspec

from api.errors import Problem

_SIGNATURE_BYTES = 12


@functools.lru_cache(maxsize=4)  # one secret per process; derived once, not per page
def _key(secret: str) -> bytes:
    return hashlib.sha256(b"expense-cursor:" + secret.encode()).digest()


def _sign(secret: str, user_id: int, ordering: str, payload: bytes) -> bytes:
    message = f"{user_id}|{ordering}|".encode() + payload
    return hmac.new(_key(secret), message, "sha256").digest()[:_SIGNATURE_BYTES]


def encode_cursor(user_id: int, ordering: str, position: list[str | int], secret: str) -> str:
    """``position``: the last row's sort key (as text) and id."""
    payload = msgspec.json.encode(position)
    signature = _sign(secret, user_id, ordering, payload)
    return base64.urlsafe_b64encode(payload + signature).decode().rstrip("=")


def decode_cursor(cursor: str, user_id: int, ordering: str, secret: str) -> list[str | int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload, signature = raw[:-_SIGNATURE_BYTES], raw[-_SIGNATURE_BYTES:]
        if not hmac.compare_digest(signature, _sign(secret, user_id, ordering, payload)):
            raise ValueError("bad signature")
        return msgspec.json.decode(payload, type=list[str | int])
    except (ValueError, binascii.Error, msgspec.DecodeError):
        raise invalid_cursor() from None


def invalid_cursor() -> Problem:
    return Problem(
        422,
        "The cursor is not valid for this list and order; start again from the first page.",
        errors=[{"field": "cursor", "message": "Invalid cursor", "source": "query"}],
    )
