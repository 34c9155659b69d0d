"""The transport every call shares: one ``httpx.Client``, the tokens, errors.

One ``httpx.Client`` is shared by every worker; it is thread-safe for requests.
Token refresh is serialised by a lock, because the API revokes a whole login when
a used refresh token is presented twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
import msgspec

from desktop.errors import ApiError, FieldProblem, NotSignedIn, ServerUnreachable
from wire.auth import TokenPair

T = TypeVar("T")
API = "/api/v1"


class _Problem(msgspec.Struct):
    status: int = 0
    title: str = ""
    detail: str = ""
    errors: list[dict[str, Any]] = []


class Transport:
    """Requests with the bearer token, one transparent refresh after a 401."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 10.0,
        on_tokens: Callable[[TokenPair | None], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=5.0),
            headers={"User-Agent": "expense-tracker-desktop"},
        )
        self._tokens: TokenPair | None = None
        self._lock = threading.Lock()
        self.on_tokens = on_tokens

    def close(self) -> None:
        self._http.close()

    # --- tokens -------------------------------------------------------------------
    @property
    def tokens(self) -> TokenPair | None:
        return self._tokens

    def set_tokens(self, tokens: TokenPair | None) -> None:
        self._tokens = tokens
        if self.on_tokens:
            self.on_tokens(tokens)

    def refresh(self, refresh_token: str) -> TokenPair:
        """Exchange the refresh token for a new pair (``auth.AuthCalls``)."""
        raise NotImplementedError

    def _refresh_after_401(self, failed_access: str | None) -> None:
        with self._lock:
            current = self._tokens
            if current is None:
                raise NotSignedIn(401, "Please sign in.")
            if current.access_token != failed_access:
                return  # another worker already refreshed while we waited
            try:
                self.refresh(current.refresh_token)
            except ApiError as error:
                if isinstance(error, ServerUnreachable):
                    raise
                self.set_tokens(None)
                raise NotSignedIn(401, "Your session has expired. Please sign in again.") from None

    # --- requests -----------------------------------------------------------------
    def _send(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        for attempt in (1, 2):
            access = self._tokens.access_token if self._tokens else None
            headers = dict(kwargs.pop("headers", None) or {})
            if auth and access:
                headers["Authorization"] = f"Bearer {access}"
            try:
                response = self._http.request(method, path, headers=headers, **kwargs)
            except httpx.TimeoutException:
                raise ServerUnreachable(
                    0, f"The server at {self.base_url} did not answer in time. Try again."
                ) from None
            except httpx.TransportError:
                raise ServerUnreachable(
                    0, f"Cannot reach the server at {self.base_url}. Is it running?"
                ) from None
            if response.status_code == 401 and auth and attempt == 1:
                kwargs["headers"] = headers
                self._refresh_after_401(access)
                continue
            if response.is_error:
                raise problem(response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, path: str, type_: type[T], **kwargs: Any) -> T:
        return msgspec.json.decode(self._send("GET", path, **kwargs).content, type=type_)

    def _json(self, method: str, path: str, body: Any, type_: type[T], **kwargs: Any) -> T:
        response = self._send(
            method,
            path,
            content=msgspec.json.encode(body),
            headers={"Content-Type": "application/json", **kwargs.pop("headers", {})},
            **kwargs,
        )
        return msgspec.json.decode(response.content, type=type_)


def problem(response: httpx.Response) -> ApiError:
    """Map an error response to an exception carrying the server's own words."""
    try:
        body = msgspec.json.decode(response.content, type=_Problem)
    except msgspec.DecodeError:
        body = _Problem(status=response.status_code)
    errors = [
        FieldProblem(str(item.get("field", "")), str(item.get("message", "")))
        for item in body.errors
        if isinstance(item, dict)
    ]
    retry = response.headers.get("Retry-After")
    cls = NotSignedIn if response.status_code == 401 else ApiError
    return cls(
        status=response.status_code,
        detail=body.detail or _fallback(response.status_code),
        title=body.title,
        errors=errors,
        retry_after=int(retry) if retry and retry.isdigit() else None,
        body=response.content,
    )


def _fallback(status: int) -> str:
    if status >= 500:
        return "The server ran into a problem. Try again in a moment."
    return f"The server refused the request ({status})."
