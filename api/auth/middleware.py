"""Bearer-token authentication: Litestar's JWT middleware with our claims policy."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.security.jwt import JWTAuth, Token

from api.auth.security import JWT_ALGORITHM, REQUIRED_CLAIMS
from api.database import pool
from api.settings import Settings

# Probes and metrics sit outside /api and the docs need no token; everything under
# /api/v1 needs one unless its route says exclude_from_auth. Anchored: Litestar
# matches these as unanchored regexes.
PUBLIC_PATHS = (r"^/(health|ready|metrics)$", r"^/api/schema(/|$)")
_MAX_USER_ID = 2**63 - 1  # BIGSERIAL; a larger `sub` would be a database error, not a 401
_LIVE_LOGIN = "SELECT true FROM login WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL"


async def _live_login_user_id(
    token: Token, connection: ASGIConnection[Any, Any, Any, Any]
) -> int | None:
    # One primary-key probe per request ends a token at once when its login was
    # signed out, when the user signed out everywhere or changed the password
    # (every login revoked), and when the account was deleted (logins cascade).
    try:
        user_id = int(token.sub)
        login_id = uuid.UUID(str(token.extras.get("sid")))
    except ValueError:
        return None
    if not 0 < user_id <= _MAX_USER_ID:
        return None
    async with pool().acquire() as conn:
        live = await conn.fetchval(_LIVE_LOGIN, login_id, user_id)
    return user_id if live else None


def jwt_auth(settings: Settings) -> JWTAuth[int, Token]:
    return JWTAuth[int, Token](
        retrieve_user_handler=_live_login_user_id,
        token_secret=settings.jwt_secret,
        algorithm=JWT_ALGORITHM,
        accepted_audiences=[settings.jwt_audience],
        accepted_issuers=[settings.jwt_issuer],
        require_claims=list(REQUIRED_CLAIMS),
        strict_audience=True,
        exclude=list(PUBLIC_PATHS),
    )


def current_user_id(request: Request) -> int:
    """Dependency ``user_id``: the authenticated account's id."""
    return int(request.user)
