"""``/api/v1/budgets``: monthly limits per category or for all spending, and their status."""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from litestar import Controller, Response, delete, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import HeaderParameter, JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.budgets import queries, service
from api.clock import today
from api.database import pool
from api.errors import Problem
from api.openapi import problem_responses
from api.params import PathId
from api.periods import parse_month
from api.preconditions import parse_if_match
from api.updates import changes as wire_changes
from wire.budgets import Budget, BudgetCreate, BudgetList, BudgetStatus, BudgetUpdate
from wire.validation import check_month

BASE_PATH = "/api/v1/budgets"
ETAG_HEADER = ResponseHeader(
    name="ETag", description='The strong tag `"<version>"`', documentation_only=True
)


def _not_found() -> Problem:
    return Problem(404, "No such budget.")


def _taken() -> Problem:
    return Problem(409, "That category (or all spending) already has a budget.")


def _unknown_category() -> Problem:
    return Problem(
        422,
        "category_id: no such category.",
        errors=[{"field": "category_id", "message": "No such category", "source": "body"}],
    )


def _with_etag(budget: Budget, status_code: int = 200, **headers: str) -> Response[Budget]:
    return Response(
        budget, status_code=status_code, headers={"ETag": f'"{budget.version}"', **headers}
    )


class BudgetController(Controller):
    path = BASE_PATH
    tags = ["budgets"]

    @get(operation_id="listBudgets", summary="Your budgets, all spending first")
    async def list_budgets(self, user_id: NamedDependency[int]) -> BudgetList:
        async with pool().acquire() as conn:
            return BudgetList(items=await queries.list_budgets(conn, user_id))

    @post(
        operation_id="createBudget",
        status_code=HTTP_201_CREATED,
        summary="Set a monthly limit for a category or for all spending",
        description="At most one budget per category and one for all spending "
        "(`category_id` null): another is a 409. `starts` defaults to the current month.",
        responses=problem_responses(409, 422),
        response_headers=[
            ResponseHeader(name="Location", description="The new budget", documentation_only=True),
            ETAG_HEADER,
        ],
    )
    async def create_budget(
        self, user_id: NamedDependency[int], data: JSONBody[BudgetCreate]
    ) -> Response[Budget]:
        starts = check_month(data.starts) if data.starts else today().replace(day=1)
        async with pool().acquire() as conn:
            try:
                budget = await queries.insert(
                    conn, user_id, data.category_id, data.amount, data.rollover, starts
                )
            except queries.UnknownCategory:
                raise _unknown_category() from None
            except asyncpg.UniqueViolationError:
                raise _taken() from None
        return _with_etag(budget, HTTP_201_CREATED, Location=f"{BASE_PATH}/{budget.id}")

    @get(
        "/status",
        operation_id="getBudgetStatus",
        summary="How each budget stands in a month",
        description="`month` (`YYYY-MM`, default the current month, UTC). Budgets that "
        "start after the month are not listed. Amounts are in the base currency: `spent` "
        "is net of refunds; with `rollover`, `carried` sums limit - spent over the months "
        "from `starts` to the month before (negative after overspending), else 0; "
        "`available` = limit + carried; `remaining` = available - spent; `projected` "
        "extrapolates the current month by the days elapsed (today included) and is "
        "`spent` for other months. `unconverted` counts the expenses in the months read "
        "that no rate converts yet (left out of the sums).",
        responses=problem_responses(422),
    )
    async def budget_status(
        self,
        user_id: NamedDependency[int],
        month: Annotated[str | None, Parameter(description="The month (YYYY-MM)")] = None,
    ) -> BudgetStatus:
        now = today()
        first = parse_month("month", month) if month is not None else now.replace(day=1)
        async with pool().acquire() as conn:
            return await service.status(conn, user_id, first, now)

    @get(
        "/{budget_id:int}",
        operation_id="getBudget",
        summary="One budget, with its version as ETag",
        responses=problem_responses(404),
        response_headers=[ETAG_HEADER],
    )
    async def get_budget(
        self, user_id: NamedDependency[int], budget_id: PathId
    ) -> Response[Budget]:
        async with pool().acquire() as conn:
            budget = await queries.get(conn, user_id, budget_id)
        if budget is None:
            raise _not_found()
        return _with_etag(budget)

    @patch(
        "/{budget_id:int}",
        operation_id="updateBudget",
        summary="Change a budget's limit, category, rollover or first month",
        description="Send `If-Match` with the ETag you read to refuse the change (412) "
        "when the budget changed since.",
        responses=problem_responses(404, 409, 412, 422),
        response_headers=[ETAG_HEADER],
    )
    async def update_budget(
        self,
        user_id: NamedDependency[int],
        budget_id: PathId,
        data: JSONBody[BudgetUpdate],
        if_match: Annotated[str | None, HeaderParameter(name="If-Match")] = None,
    ) -> Response[Budget]:
        changes: dict[str, Any] = wire_changes(data)
        if "starts" in changes:
            changes["starts"] = check_month(changes["starts"])
        expected = parse_if_match(if_match)
        async with pool().acquire() as conn, conn.transaction():
            category = changes.get("category_id")
            if category is not None and not await queries.category_owned(conn, user_id, category):
                raise _unknown_category()
            if not changes:  # nothing to change: no new version either
                budget = await queries.get(conn, user_id, budget_id)
                if budget is not None and not expected.accepts(budget.version):
                    budget = None
            else:
                try:
                    budget = await queries.update(conn, user_id, budget_id, changes, expected)
                except asyncpg.UniqueViolationError:
                    raise _taken() from None
                except asyncpg.ForeignKeyViolationError:
                    raise _unknown_category() from None
            if budget is None:
                if await queries.get(conn, user_id, budget_id) is None:
                    raise _not_found()
                raise Problem(412, "The budget changed since you read it; reload and retry.")
        return _with_etag(budget)

    @delete(
        "/{budget_id:int}",
        operation_id="deleteBudget",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a budget",
        responses=problem_responses(404),
    )
    async def delete_budget(self, user_id: NamedDependency[int], budget_id: PathId) -> None:
        async with pool().acquire() as conn:
            if not await queries.delete(conn, user_id, budget_id):
                raise _not_found()
