"""Bearer-token authentication: Litestar's JWT middleware with our claims policy,
a cache of verified tokens, and the live-login check (api/auth/live_logins.py)."""

from __future__ import annotations

import time
import uuid
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.authentication import AuthenticationResult
from litestar.security.jwt import JWTAuth, JWTAuthenticationMiddleware, Token

from api.auth.live_logins import live_logins
from api.auth.security import JWT_ALGORITHM, REQUIRED_CLAIMS
from api.settings import Settings

# Probes and metrics sit outside /api and the docs need no token; everything under
# /api/v1 needs one unless its route says exclude_from_auth. Anchored: Litestar
# matches these as unanchored regexes.
PUBLIC_PATHS = (r"^/(health|ready|metrics)$", r"^/api/schema(/|$)")
_MAX_USER_ID = 2**63 - 1  # BIGSERIAL; a larger `sub` would be a database error, not a 401
MAX_VERIFIED_TOKENS = 4_096  # ~1.5 KB each


class _Verified:
    """A token whose signature and claims were checked once, with its ids parsed."""

    __slots__ = ("exp", "login_id", "token", "user_id")

    def __init__(self, token: Token, user_id: int, login_id: uuid.UUID) -> None:
        self.token, self.user_id, self.login_id = token, user_id, login_id
        self.exp = token.exp.timestamp()


def _parse_ids(token: Token) -> tuple[int, uuid.UUID] | None:
    try:
        user_id = int(token.sub)
        login_id = uuid.UUID(str(token.extras.get("sid")))
    except ValueError:
        return None
    return (user_id, login_id) if 0 < user_id <= _MAX_USER_ID else None


_VERIFIED_BY_POLICY: dict[tuple[object, ...], dict[str, _Verified]] = {}


class CachedJWTAuthenticationMiddleware(JWTAuthenticationMiddleware):
    """Verifies a token's signature once, then recognises the exact same string.

    A client sends the same access token for its whole lifetime (15 minutes), and
    checking the HMAC, decoding base64 and JSON and building Litestar's ``Token`` is
    a large share of a cheap request. Keyed by the whole token string, so a hit is a
    token that did verify; its expiry is still checked on every hit (PyJWT's rule:
    expired once ``exp <= now``). Whether its login is still live is asked on every
    request, cached or not.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Litestar builds one instance per route: they share one cache, and only
        # with instances that verify with the same key and claims.
        policy = (
            self.token_secret,
            self.algorithm,
            tuple(self.token_audience or ()),
            tuple(self.token_issuer or ()),
            tuple(self.require_claims or ()),
            self.verify_expiry,
            self.verify_not_before,
            self.strict_audience,
        )
        self._verified = _VERIFIED_BY_POLICY.setdefault(policy, {})

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        # Litestar's version builds the request's Headers object to read one header;
        # the raw ASGI list (names lowercased by the server) is cheaper to scan. Same
        # rule: the first Authorization header, the token after its first space.
        for name, value in connection.scope["headers"]:
            if name == b"authorization":
                encoded_token = value.decode("latin-1").partition(" ")[-1]
                return await self.authenticate_token(encoded_token, connection)
        raise NotAuthorizedException("No JWT token found in request header")

    async def authenticate_token(
        self, encoded_token: str, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        verified = self._verified.get(encoded_token)
        if verified is None or verified.exp <= time.time():
            verified = self._verify(encoded_token)
        if not await live_logins.is_live(verified.login_id, verified.user_id):
            raise NotAuthorizedException()
        return AuthenticationResult(user=verified.user_id, auth=verified.token)

    def _verify(self, encoded_token: str) -> _Verified:
        token = self.token_cls.decode(  # raises NotAuthorizedException (401)
            encoded_token=encoded_token,
            secret=self.token_secret,
            algorithm=self.algorithm,
            audience=self.token_audience,
            issuer=self.token_issuer,
            require_claims=self.require_claims,
            verify_exp=self.verify_expiry,
            verify_nbf=self.verify_not_before,
            strict_audience=self.strict_audience,
        )
        ids = _parse_ids(token)
        if ids is None:
            raise NotAuthorizedException()
        verified = _Verified(token, *ids)
        cache = self._verified
        cache.pop(encoded_token, None)  # an expired entry of the same string
        if len(cache) >= MAX_VERIFIED_TOKENS:
            del cache[next(iter(cache))]  # the oldest
        cache[encoded_token] = verified
        return verified


async def _live_login_user_id(
    token: Token, connection: ASGIConnection[Any, Any, Any, Any]
) -> int | None:
    # Litestar's contract for JWTAuth; CachedJWTAuthenticationMiddleware does the same
    # without calling it. One check ends a token at once when its login was signed
    # out, when the user signed out everywhere or changed the password (every login
    # revoked), and when the account was deleted (logins cascade).
    ids = _parse_ids(token)
    if ids is None:
        return None
    user_id, login_id = ids
    return user_id if await live_logins.is_live(login_id, user_id) else None


def jwt_auth(settings: Settings) -> JWTAuth[int, Token]:
    return JWTAuth[int, Token](
        retrieve_user_handler=_live_login_user_id,
        authentication_middleware_class=CachedJWTAuthenticationMiddleware,
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
