"""Expenses: pages, one expense, create/update/delete, the summary, CSV out and in."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import msgspec

from desktop.client.answers import Answer, decode_answer
from desktop.client.http import API, Transport, problem
from desktop.errors import ApiError, Cancelled, ServerUnreachable
from desktop.filters import ExpenseQuery
from wire.expenses import (
    Expense,
    ExpensePage,
    ExpenseSort,
    ExpenseSummary,
    ImportReport,
    SortOrder,
    TrashPage,
)

# A small first page paints sooner; later pages are as large as the API allows,
# so paging through 100k rows takes 200 requests, not 1,000.
FIRST_PAGE_SIZE = 100
EXPENSES = f"{API}/expenses"
PAGE_SIZE = 500


class ExpenseCalls(Transport):
    def expenses(
        self,
        query: ExpenseQuery,
        cursor: str | None = None,
        limit: int | None = None,
        sort: ExpenseSort = "spent_on",
        order: SortOrder = "desc",
    ) -> ExpensePage:
        limit = limit or (PAGE_SIZE if cursor else FIRST_PAGE_SIZE)
        params: dict[str, str | list[str]] = {**query.params(), "limit": str(limit)}
        if (sort, order) != ("spent_on", "desc"):  # the default needs no parameters
            params |= {"sort": sort, "order": order}
        if cursor:
            params["cursor"] = cursor
        return self._get(f"{API}/expenses", ExpensePage, params=params)

    def trash(self, cursor: str | None = None, limit: int | None = None) -> TrashPage:
        limit = limit or (PAGE_SIZE if cursor else FIRST_PAGE_SIZE)
        params = {"limit": str(limit), **({"cursor": cursor} if cursor else {})}
        return self._get(f"{API}/expenses/trash", TrashPage, params=params)

    def send_call(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        params: dict[str, str],
    ) -> Answer:
        """One recorded write of an ``Op`` (operations/ops.py); what it answered."""
        if body is not None:
            headers = {**headers, "Content-Type": "application/json"}
        response = self._send(method, path, content=body, headers=headers, params=params)
        # Each answer as its path says (answers.py); imports, rules, profiles: none.
        if response.status_code == 204:
            return None
        return decode_answer(path, response.content)

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
