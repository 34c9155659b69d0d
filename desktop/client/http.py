"""Typed client of the Expense Tracker HTTP API — the only module that knows HTTP.

Synchronous on purpose: calls run in ``QThreadPool`` workers (see ``workers.py``),
which keeps tests simple (pytest-qt's ``waitSignal`` and asyncio loops do not mix).
One ``httpx.Client`` is shared by every worker; it is thread-safe for requests.
Token refresh is serialised by a lock, because the API revokes a whole login when
a used refresh token is presented twice.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import httpx
import msgspec

from desktop.errors import ApiError, Cancelled, FieldProblem, NotSignedIn, ServerUnreachable
from desktop.filters import ExpenseQuery
from wire.analytics import CategoryAnalytics, MonthlyAnalytics
from wire.auth import Profile, TokenPair
from wire.categories import Category, CategoryList
from wire.expenses import Expense, ExpensePage, ExpenseSummary, ImportReport
from wire.service import ServerVersion

T = TypeVar("T")
API = "/api/v1"
# A small first page paints sooner; later pages are as large as the API allows,
# so paging through 100k rows takes 200 requests, not 1,000.
FIRST_PAGE_SIZE = 100
PAGE_SIZE = 500


class _Problem(msgspec.Struct):
    status: int = 0
    title: str = ""
    detail: str = ""
    errors: list[dict[str, Any]] = []


class ApiClient:
    """Every endpoint the desktop uses, returning ``wire`` structs."""

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

    # --- transport ----------------------------------------------------------------
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

    # --- auth ---------------------------------------------------------------------
    def register(
        self, email: str, password: str, display_name: str = "", currency: str = "USD"
    ) -> Profile:
        body = {"email": email, "password": password, "display_name": display_name}
        body["currency"] = currency
        return self._json("POST", f"{API}/auth/register", body, Profile, auth=False)

    def login(self, email: str, password: str) -> TokenPair:
        body = {"email": email, "password": password}
        tokens = self._json("POST", f"{API}/auth/login", body, TokenPair, auth=False)
        self.set_tokens(tokens)
        return tokens

    def refresh(self, refresh_token: str) -> TokenPair:
        body = {"refresh_token": refresh_token}
        tokens = self._json("POST", f"{API}/auth/refresh", body, TokenPair, auth=False)
        self.set_tokens(tokens)
        return tokens

    def logout(self) -> None:
        tokens, self._tokens = self._tokens, None
        if tokens is not None:
            body = msgspec.json.encode({"refresh_token": tokens.refresh_token})
            headers = {"Content-Type": "application/json"}
            self._send("POST", f"{API}/auth/logout", auth=False, content=body, headers=headers)

    def me(self) -> Profile:
        return self._get(f"{API}/me", Profile)

    # --- categories ---------------------------------------------------------------
    def categories(self) -> list[Category]:
        return self._get(f"{API}/categories", CategoryList).items

    def create_category(self, name: str, color: str | None = None) -> Category:
        body: dict[str, str] = {"name": name}
        if color:
            body["color"] = color
        return self._json("POST", f"{API}/categories", body, Category)

    def update_category(self, category_id: int, **fields: str) -> Category:
        return self._json("PATCH", f"{API}/categories/{category_id}", fields, Category)

    def delete_category(self, category_id: int, reassign_to: int | None = None) -> None:
        params = {"reassign_to": str(reassign_to)} if reassign_to is not None else None
        self._send("DELETE", f"{API}/categories/{category_id}", params=params)

    # --- expenses -----------------------------------------------------------------
    def expenses(
        self, query: ExpenseQuery, cursor: str | None = None, limit: int | None = None
    ) -> ExpensePage:
        limit = limit or (PAGE_SIZE if cursor else FIRST_PAGE_SIZE)
        params = {**query.params(), "limit": str(limit)}
        if cursor:
            params["cursor"] = cursor
        return self._get(f"{API}/expenses", ExpensePage, params=params)

    def expense(self, expense_id: int) -> Expense:
        return self._get(f"{API}/expenses/{expense_id}", Expense)

    def create_expense(self, fields: dict[str, Any], idempotency_key: str | None = None) -> Expense:
        key = idempotency_key or str(uuid.uuid4())
        headers = {"Idempotency-Key": key}
        return self._json("POST", f"{API}/expenses", _wire(fields), Expense, headers=headers)

    def update_expense(
        self, expense_id: int, fields: dict[str, Any], version: int | None = None
    ) -> Expense:
        headers = {"If-Match": f'"{version}"'} if version is not None else {}
        path = f"{API}/expenses/{expense_id}"
        return self._json("PATCH", path, _wire(fields), Expense, headers=headers)

    def delete_expense(self, expense_id: int) -> None:
        self._send("DELETE", f"{API}/expenses/{expense_id}")

    def summary(self, query: ExpenseQuery) -> ExpenseSummary:
        return self._get(f"{API}/expenses/summary", ExpenseSummary, params=query.params())

    def export_csv(
        self,
        query: ExpenseQuery,
        destination: Path,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> int:
        """Stream the filtered CSV to ``destination``; return the bytes written.

        Written to a sibling temporary file and renamed at the end, so a cancelled or
        failed export never leaves a truncated file under the user's chosen name.
        """
        partial = destination.with_name(destination.name + ".part")
        written = 0
        for attempt in (1, 2):
            access = self._tokens.access_token if self._tokens else None
            headers = {"Authorization": f"Bearer {access}"} if access else {}
            request = self._http.build_request(
                "GET", f"{API}/expenses/export.csv", params=query.params(), headers=headers
            )
            try:
                response = self._http.send(request, stream=True)
                try:
                    if response.status_code == 401 and attempt == 1:
                        self._refresh_after_401(access)
                        continue
                    if response.is_error:
                        response.read()
                        raise problem(response)
                    with partial.open("wb") as out:
                        for chunk in response.iter_bytes(64 * 1024):
                            if cancelled and cancelled():
                                raise Cancelled
                            out.write(chunk)
                            written += len(chunk)
                            if progress:
                                progress(written)
                finally:
                    response.close()
            except httpx.TransportError:
                partial.unlink(missing_ok=True)
                raise ServerUnreachable(
                    0, f"Cannot reach the server at {self.base_url}. Is it running?"
                ) from None
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(destination)
            return written
        raise AssertionError("unreachable")  # pragma: no cover

    def import_csv(self, data: bytes, *, dry_run: bool) -> ImportReport:
        """Import a CSV; a 422 (some rows invalid) still returns the report."""
        params = {"dry_run": "true"} if dry_run else None
        headers = {"Content-Type": "text/csv; charset=utf-8"}
        try:
            response = self._send(
                "POST", f"{API}/expenses/import", content=data, params=params, headers=headers
            )
        except ApiError as error:
            if error.status == 422 and error.body:
                try:
                    return msgspec.json.decode(error.body, type=ImportReport)
                except msgspec.DecodeError:
                    pass
            raise
        return msgspec.json.decode(response.content, type=ImportReport)

    # --- analytics ----------------------------------------------------------------
    def monthly(
        self, first: str | None = None, last: str | None = None, category_id: int | None = None
    ) -> MonthlyAnalytics:
        params = {"from": first, "to": last, "category_id": category_id}
        clean = {k: str(v) for k, v in params.items() if v is not None}
        return self._get(f"{API}/analytics/monthly", MonthlyAnalytics, params=clean)

    def category_breakdown(self, first: date | None, last: date | None) -> CategoryAnalytics:
        params = {"from": first, "to": last}
        clean = {k: v.isoformat() for k, v in params.items() if v is not None}
        return self._get(f"{API}/analytics/categories", CategoryAnalytics, params=clean)

    def server_version(self) -> str:
        """The API's version (public: answered without a session)."""
        return self._get(f"{API}/version", ServerVersion, auth=False).version


def _wire(fields: dict[str, Any]) -> dict[str, Any]:
    """Dates and Decimals as the API spells them (msgspec does both, made explicit)."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        else:
            out[key] = value
    return out


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
