"""``/api/v1/expenses``: create, read, update, delete, list, summary, CSV export."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Annotated, Any

import asyncpg
import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, HeaderParameter, JSONBody, Parameter
from litestar.response import Stream
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api import idempotency
from api.cursor import decode_cursor, encode_cursor, invalid_cursor
from api.database import pool
from api.disconnect import unless_client_leaves
from api.errors import Problem, field_problem
from api.expenses import export, money, queries, reads, sorting
from api.expenses.filters import ExpenseFilters, expense_filters
from api.expenses.problems import not_found, unknown
from api.openapi import problem_responses
from api.params import PathId
from api.preconditions import parse_if_match
from api.recurring.matching import link_new_expense
from api.settings import Settings
from api.updates import changes as wire_changes
from wire.expenses import (
    Expense,
    ExpenseCreate,
    ExpensePage,
    ExpenseSort,
    ExpenseSummary,
    ExpenseUpdate,
    SortOrder,
    TrashPage,
)
from wire.validation import FieldError

BASE_PATH = "/api/v1/expenses"
ETAG_HEADER = ResponseHeader(
    name="ETag", description='The strong tag `"<version>"`', documentation_only=True
)


# The fields whose rules span the stored expense (api/expenses/money.py).
_MONEY_FIELDS = {"amount", "base_amount", "splits", "category_id"}


async def _summary(user_id: int, filters: ExpenseFilters) -> ExpenseSummary:
    async with pool().acquire() as conn:
        return await reads.summary(conn, user_id, filters)


def _etag(expense: Expense) -> str:
    return f'"{expense.version}"'


def _after(
    cursor: str | None, user_id: int, kind: str, sort: str, settings: Settings
) -> tuple[object, int] | None:
    if cursor is None:
        return None
    raw = decode_cursor(cursor, user_id, kind, settings.jwt_secret)
    try:
        return sorting.parse_position(sort, raw)
    except (ValueError, ArithmeticError):  # signed by us, so only an old format
        raise invalid_cursor() from None


class ExpenseController(Controller):
    path = BASE_PATH
    tags = ["expenses"]
    dependencies = {"filters": Provide(expense_filters, sync_to_thread=False)}

    @post(
        status_code=HTTP_201_CREATED,
        summary="Record an expense",
        responses=problem_responses(409),
        response_headers=[
            ResponseHeader(name="Location", description="The new expense", documentation_only=True)
        ],
        description="Send an `Idempotency-Key` header to make retries safe: the same key "
        "with the same body answers the first response and creates nothing; with a "
        "different body it is a 409. Keys are remembered for 24 hours.",
    )
    async def create_expense(
        self,
        user_id: NamedDependency[int],
        data: JSONBody[ExpenseCreate],
        idempotency_key: Annotated[
            str | None, HeaderParameter(name="Idempotency-Key", min_length=1, max_length=255)
        ] = None,
    ) -> Response[Expense]:
        async with pool().acquire() as conn:

            async def create() -> idempotency.StoredResponse:
                # Without tags the INSERT is one statement, atomic by itself: a
                # transaction would only add two round trips to the busiest write.
                atomic = data.tags and not conn.is_in_transaction()
                try:
                    async with conn.transaction() if atomic else contextlib.nullcontext():
                        expense, might_pay = await queries.insert_probing_plans(conn, user_id, data)
                        # Pays an open occurrence of a recurring expense? Linked then.
                        expense = await link_new_expense(conn, user_id, expense, might_pay)
                except queries.UnknownReference as error:
                    raise unknown(error.field) from None
                return idempotency.StoredResponse(
                    HTTP_201_CREATED, msgspec.json.encode(expense), f"{BASE_PATH}/{expense.id}"
                )

            if idempotency_key is None:
                stored = await create()
            else:
                fingerprint = idempotency.fingerprint(msgspec.json.encode(data))
                stored = await idempotency.once(conn, user_id, idempotency_key, fingerprint, create)
        headers = {"Location": stored.location} if stored.location else {}
        return Response(
            content=stored.body,
            status_code=stored.status_code,
            media_type="application/json",
            headers=headers,
        )

    @get(
        summary="List expenses, newest first or in another order",
        description="`sort` by `spent_on` (default), `amount`, `description`, `category` "
        "or `created_at`, `order` `desc` (default) or `asc`; ties by id in the same "
        "direction. A cursor works only with the sort and order it was made for (422).",
    )
    async def list_expenses(
        self,
        user_id: NamedDependency[int],
        filters: NamedDependency[ExpenseFilters],
        settings: NamedDependency[Settings],
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, Parameter(max_length=1000)] = None,
        sort: FromQuery[ExpenseSort] = "spent_on",
        order: FromQuery[SortOrder] = "desc",
    ) -> ExpensePage:
        kind = sorting.ordering(sort, order)
        after = _after(cursor, user_id, kind, sort, settings)
        async with pool().acquire() as conn:
            items = await reads.page(conn, user_id, filters, limit + 1, sort, order, after)
        next_cursor = None
        if len(items) > limit:
            items = items[:limit]
            position = sorting.position(sort, items[-1])
            next_cursor = encode_cursor(user_id, kind, position, settings.jwt_secret)
        return ExpensePage(items=items, next_cursor=next_cursor)

    @get("/trash", summary="Expenses in the trash, most recently deleted first")
    async def list_trash(
        self,
        user_id: NamedDependency[int],
        settings: NamedDependency[Settings],
        limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
        cursor: Annotated[str | None, Parameter(max_length=1000)] = None,
    ) -> TrashPage:
        kind = sorting.ordering("deleted_at", "desc")
        after = _after(cursor, user_id, kind, "deleted_at", settings)
        async with pool().acquire() as conn:
            items = await reads.trash_page(conn, user_id, limit + 1, after)
        next_cursor = None
        if len(items) > limit:
            items = items[:limit]
            position = sorting.position("deleted_at", items[-1])
            next_cursor = encode_cursor(user_id, kind, position, settings.jwt_secret)
        return TrashPage(items=items, next_cursor=next_cursor)

    @post(
        "/{expense_id:int}/restore",
        status_code=HTTP_200_OK,
        summary="Take an expense out of the trash",
        responses=problem_responses(409),
        response_headers=[ETAG_HEADER],
    )
    async def restore_expense(
        self, user_id: NamedDependency[int], expense_id: PathId
    ) -> Response[Expense]:
        async with pool().acquire() as conn:
            expense = await queries.restore(conn, user_id, expense_id)
            if expense is None:
                if await queries.exists(conn, user_id, expense_id):
                    raise Problem(409, "The expense is not in the trash.")
                raise not_found()
        return Response(expense, headers={"ETag": _etag(expense)})

    @get(
        "/summary",
        operation_id="getSummary",
        summary="Count, total, average, min and max for the list's filters",
    )
    async def summarize_expenses(
        self,
        request: Request,
        user_id: NamedDependency[int],
        filters: NamedDependency[ExpenseFilters],
    ) -> ExpenseSummary:
        read = _summary(user_id, filters)
        if reads.summary_scans(filters):  # every matching row: not for a client gone
            return await unless_client_leaves(request, read)
        return await read

    @get(
        "/export.csv",
        summary="Download the filtered expenses as CSV",
        responses=problem_responses(429, 503),
        description="Columns `date,category,description,amount,notes`, RFC 4180 quoting, "
        "UTF-8. Cells that a spreadsheet would run as a formula are prefixed with `'`.",
        media_type="text/csv",
    )
    async def export_expenses(
        self,
        user_id: NamedDependency[int],
        filters: NamedDependency[ExpenseFilters],
        settings: NamedDependency[Settings],
    ) -> Stream:
        filename = export.export_filename(filters, datetime.now(UTC).date())
        return Stream(
            await export.open_csv_stream(filters, user_id, settings),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @get(
        "/{expense_id:int}",
        summary="One expense, with its version as ETag",
        response_headers=[ETAG_HEADER],
    )
    async def get_expense(
        self, user_id: NamedDependency[int], expense_id: PathId
    ) -> Response[Expense]:
        async with pool().acquire() as conn:
            expense = await queries.get(conn, user_id, expense_id)
        if expense is None:
            raise not_found()
        return Response(expense, headers={"ETag": _etag(expense)})

    @patch(
        "/{expense_id:int}",
        summary="Change some fields of an expense",
        responses=problem_responses(412),
        response_headers=[ETAG_HEADER],
        description="Send `If-Match` with the ETag you read to refuse the change (412) "
        "when someone else changed the expense since.",
    )
    async def update_expense(
        self,
        user_id: NamedDependency[int],
        expense_id: PathId,
        data: JSONBody[ExpenseUpdate],
        if_match: Annotated[str | None, HeaderParameter(name="If-Match")] = None,
    ) -> Response[Expense]:
        changes: dict[str, Any] = wire_changes(data)
        expected = parse_if_match(if_match)
        async with pool().acquire() as conn, conn.transaction():
            if "category_id" in changes and not await queries.category_owned(
                conn, user_id, changes["category_id"]
            ):
                raise unknown("category_id")
            parts = money.part_categories(changes)
            if parts and not await queries.categories_owned(conn, user_id, parts):
                raise unknown("splits")
            if changes.keys() & _MONEY_FIELDS:
                current = await queries.get_for_update(conn, user_id, expense_id)
                if current is None:
                    raise not_found()
                try:
                    changes = money.column_changes(current, changes)
                except FieldError as error:
                    raise field_problem(error) from None
            target = changes.get("refund_of")
            if target is not None and not await queries.refund_target_ok(
                conn, user_id, expense_id, target
            ):
                raise unknown("refund_of")
            if changes:
                try:
                    expense = await queries.update(conn, user_id, expense_id, changes, expected)
                except asyncpg.ForeignKeyViolationError:
                    raise unknown("category_id") from None  # deleted while we waited for it
            else:
                expense = await queries.get(conn, user_id, expense_id)
                if expense is not None and not expected.accepts(expense.version):
                    expense = None
            if expense is None:
                if await queries.get(conn, user_id, expense_id) is None:
                    raise not_found()
                raise Problem(412, "The expense changed since you read it; reload and retry.")
        return Response(expense, headers={"ETag": _etag(expense)})

    @delete(
        "/{expense_id:int}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Move an expense to the trash, or delete it for good",
        description="Without `purge` the expense goes to the trash (restorable for 30 days; "
        "already in the trash: 404). With `purge=true` it is deleted for good, from the "
        "trash too.",
    )
    async def delete_expense(
        self,
        user_id: NamedDependency[int],
        expense_id: PathId,
        purge: Annotated[bool, Parameter(description="Delete for good")] = False,
    ) -> None:
        async with pool().acquire() as conn:
            done = await (queries.purge if purge else queries.trash)(conn, user_id, expense_id)
        if not done:
            raise not_found()
