"""``/api/v1/recurring``: planned expenses, their occurrences, suggestions and the feed."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from litestar import Controller, Response, delete, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.clock import today
from api.database import pool
from api.errors import Problem
from api.openapi import problem_responses
from api.params import PathId
from api.preconditions import parse_if_match
from api.recurring import queries, service, suggestions
from api.updates import changes as wire_changes
from wire.expenses import Expense
from wire.recurring import (
    PostOccurrence,
    Recurring,
    RecurringCreate,
    RecurringList,
    RecurringUpdate,
    SuggestionList,
    Upcoming,
)

BASE_PATH = "/api/v1/recurring"
ETAG_HEADER = ResponseHeader(
    name="ETag", description='The strong tag `"<version>"`', documentation_only=True
)


def _not_found() -> Problem:
    return Problem(404, "No such recurring expense.")


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        422,
        f"{field}: {message[0].lower()}{message[1:]}.",
        errors=[{"field": field, "message": message, "source": "body"}],
    )


def _with_etag(plan: Recurring, status_code: int = 200, **headers: str) -> Response[Recurring]:
    return Response(plan, status_code=status_code, headers={"ETag": f'"{plan.version}"', **headers})


class RecurringController(Controller):
    path = BASE_PATH
    tags = ["recurring"]

    @get(operation_id="listRecurring", summary="Your recurring expenses, next due first")
    async def list_recurring(self, user_id: NamedDependency[int]) -> RecurringList:
        async with pool().acquire() as conn:
            return RecurringList(items=await queries.list_plans(conn, user_id))

    @post(
        operation_id="createRecurring",
        status_code=HTTP_201_CREATED,
        summary="Plan a recurring expense",
        description="Nothing is posted automatically: expenses you record or import that "
        "match an open occurrence are linked to it (see the page's matching rule). "
        "`currency` defaults to your base currency.",
        responses=problem_responses(422),
        response_headers=[
            ResponseHeader(name="Location", description="The new plan", documentation_only=True),
            ETAG_HEADER,
        ],
    )
    async def create_recurring(
        self, user_id: NamedDependency[int], data: JSONBody[RecurringCreate]
    ) -> Response[Recurring]:
        async with pool().acquire() as conn:
            try:
                plan = await queries.insert(conn, user_id, data)
            except queries.UnknownCategory:
                raise _invalid("category_id", "No such category") from None
        return _with_etag(plan, HTTP_201_CREATED, Location=f"{BASE_PATH}/{plan.id}")

    @get(
        "/upcoming",
        operation_id="listUpcoming",
        summary="Occurrences due soon, overdue ones first",
        description="Overdue occurrences (due before today, UTC, and not paid; the last 100 "
        "of a plan at most) first, then every occurrence due from today to `days` days "
        "ahead inclusive, expected or paid, by due date. `previous_amount` is on the next "
        "occurrence of a plan whose amount the last payment changed.",
        responses=problem_responses(422),
    )
    async def list_upcoming(
        self, user_id: NamedDependency[int], days: Annotated[int, Parameter(ge=1, le=366)] = 30
    ) -> Upcoming:
        async with pool().acquire() as conn:
            return Upcoming(items=await service.upcoming(conn, user_id, today(), days))

    @get(
        "/suggestions",
        operation_id="listRecurringSuggestions",
        summary="Recurring expenses found in your history",
        description="Groups of at least 3 expenses with the same description (case and "
        "spacing aside) and category, at a regular weekly, monthly or yearly interval "
        "(± 3 days), amounts within 10 % of the latest, still going, not yet planned.",
    )
    async def list_suggestions(self, user_id: NamedDependency[int]) -> SuggestionList:
        async with pool().acquire() as conn:
            return SuggestionList(items=await suggestions.suggestions(conn, user_id, today()))

    @get(
        "/{recurring_id:int}",
        operation_id="getRecurring",
        summary="One recurring expense, with its version as ETag",
        responses=problem_responses(404),
        response_headers=[ETAG_HEADER],
    )
    async def get_recurring(
        self, user_id: NamedDependency[int], recurring_id: PathId
    ) -> Response[Recurring]:
        async with pool().acquire() as conn:
            plan = await queries.get(conn, user_id, recurring_id)
        if plan is None:
            raise _not_found()
        return _with_etag(plan)

    @patch(
        "/{recurring_id:int}",
        operation_id="updateRecurring",
        summary="Change a recurring expense",
        description="A new `next_due` restarts the schedule from that date. Send "
        "`If-Match` with the ETag you read to refuse the change (412) when the plan "
        "changed since (a payment advances it too).",
        responses=problem_responses(404, 412, 422),
        response_headers=[ETAG_HEADER],
    )
    async def update_recurring(
        self,
        user_id: NamedDependency[int],
        recurring_id: PathId,
        data: JSONBody[RecurringUpdate],
        if_match: Annotated[str | None, HeaderParameter(name="If-Match")] = None,
    ) -> Response[Recurring]:
        changes: dict[str, Any] = wire_changes(data)
        expected = parse_if_match(if_match)
        async with pool().acquire() as conn, conn.transaction():
            category = changes.get("category_id")
            if category is not None and not await queries.category_owned(conn, user_id, category):
                raise _invalid("category_id", "No such category")
            current = await queries.get(conn, user_id, recurring_id)
            if current is None:
                raise _not_found()
            if not changes:
                plan = current if expected.accepts(current.version) else None
            else:
                try:
                    plan = await queries.update(conn, user_id, recurring_id, changes, expected)
                except asyncpg.CheckViolationError:
                    raise _invalid("ends", "Must not be before next_due") from None
                except asyncpg.ForeignKeyViolationError:
                    raise _invalid("category_id", "No such category") from None
            if plan is None:
                raise Problem(412, "The plan changed since you read it; reload and retry.")
        return _with_etag(plan)

    @delete(
        "/{recurring_id:int}",
        operation_id="deleteRecurring",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a recurring expense (its expenses stay, unlinked)",
        responses=problem_responses(404),
    )
    async def delete_recurring(self, user_id: NamedDependency[int], recurring_id: PathId) -> None:
        async with pool().acquire() as conn:
            if not await queries.delete(conn, user_id, recurring_id):
                raise _not_found()

    @post(
        "/{recurring_id:int}/post",
        operation_id="postOccurrence",
        status_code=HTTP_201_CREATED,
        summary="Record an occurrence as an expense",
        description="Creates the expense (the plan's amount, currency, category, "
        "description and tags, dated `due`) linked to that occurrence. `due` must be an "
        "occurrence of the plan within its end (422); one already paid is a 409.",
        responses=problem_responses(404, 409, 422),
        response_headers=[
            ResponseHeader(name="Location", description="The new expense", documentation_only=True)
        ],
    )
    async def post_occurrence(
        self, user_id: NamedDependency[int], recurring_id: PathId, data: JSONBody[PostOccurrence]
    ) -> Response[Expense]:
        async with pool().acquire() as conn, conn.transaction():
            try:
                expense = await service.post_occurrence(conn, user_id, recurring_id, data.due)
            except service.NotAnOccurrence:
                raise _invalid("due", "Not an occurrence of this plan") from None
            except service.AlreadyPaid:
                raise Problem(409, "That occurrence is already paid.") from None
        if expense is None:
            raise _not_found()
        return Response(
            expense,
            status_code=HTTP_201_CREATED,
            headers={"Location": f"/api/v1/expenses/{expense.id}"},
        )
