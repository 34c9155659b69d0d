"""Password hashing (argon2id) and token minting (PyJWT, opaque refresh tokens)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from api.errors import Problem
from api.settings import Settings

T = TypeVar("T")
JWT_ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("sub", "exp", "iat", "jti", "iss", "aud", "sid")

# OWASP's argon2id parameters (19 MiB, t=2, p=1) rather than the library's 64 MiB
# and 4 lanes: with 40 worker threads those let 6-8 parallel logins fill a 512 MiB
# pod. Hashes made with other parameters still verify and are redone on sign-in.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the email is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class _HashGate:
    """At most ``concurrency`` hashes at once per process, and a bounded queue.

    Memory is what a hash costs (19 MiB each while it runs), so the number running
    is bounded, not the requests: the rest wait their turn, and beyond
    ``max_waiting`` a request is told to come back (429) rather than queue forever.
    """

    def __init__(self) -> None:
        self.concurrency = 4
        self.max_waiting = 64
        self._limiter: anyio.CapacityLimiter | None = None
        self._waiting = 0

    def configure(self, concurrency: int) -> None:
        self.concurrency, self.max_waiting, self._limiter = concurrency, 16 * concurrency, None

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self._limiter is None:  # made on first use: it needs the running event loop
            self._limiter = anyio.CapacityLimiter(self.concurrency)
        if self._waiting >= self.max_waiting:
            raise Problem(
                429,
                "The server is busy signing people in; retry shortly.",
                headers={"Retry-After": "1"},
            )
        self._waiting += 1
        try:
            return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)
        finally:
            self._waiting -= 1


hash_gate = _HashGate()


async def hash_password(password: str) -> str:
    # Hashing is tens of ms of CPU by design: keep it off the event loop.
    return await hash_gate.run(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await hash_gate.run(verify)


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


def create_access_token(
    user_id: int, login_id: uuid.UUID, settings: Settings, now: datetime | None = None
) -> str:
    issued = now or datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "sid": str(login_id),
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(seconds=settings.access_token_ttl)).timestamp()),
        "jti": uuid.uuid4().hex,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=JWT_ALGORITHM)


def new_refresh_token() -> tuple[str, str]:
    """A fresh opaque refresh token and the hash that is all the database keeps."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    # The token carries 256 random bits, so a fast hash is enough: nobody can guess
    # a preimage, and a database leak does not hand out working tokens.
    return hashlib.sha256(token.encode()).hexdigest()
