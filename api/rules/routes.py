"""``/api/v1/rules``: categorisation rules, and applying one to existing expenses."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.categories import queries as category_queries
from api.database import pool
from api.errors import Problem
from api.openapi import problem_responses
from api.params import PathId
from api.rules import queries, service
from api.updates import changes as wire_changes
from wire.rules import Rule, RuleApplication, RuleCreate, RuleList, RuleThen, RuleUpdate

BASE_PATH = "/api/v1/rules"


def _not_found() -> Problem:
    return Problem(404, "No such rule.")


async def _check_category(conn: Any, user_id: int, then: RuleThen) -> None:
    if then.category_id is not None and not await category_queries.owned(
        conn, user_id, then.category_id
    ):
        raise Problem(
            422,
            "then.category_id: no such category.",
            errors=[{"field": "then.category_id", "message": "No such category", "source": "body"}],
        )


class RuleController(Controller):
    path = BASE_PATH
    tags = ["rules"]

    @get(operation_id="listRules", summary="Your rules, in the order they run")
    async def list_rules(self, user_id: NamedDependency[int]) -> RuleList:
        async with pool().acquire() as conn:
            return RuleList(items=await queries.list_rules(conn, user_id))

    @post(
        operation_id="createRule",
        status_code=HTTP_201_CREATED,
        summary="Add a rule (after your last one unless `position` says otherwise)",
        response_headers=[
            ResponseHeader(name="Location", description="The rule", documentation_only=True)
        ],
    )
    async def create_rule(
        self, user_id: NamedDependency[int], data: JSONBody[RuleCreate]
    ) -> Response[Rule]:
        async with pool().acquire() as conn:
            await _check_category(conn, user_id, data.then)
            rule = await queries.insert(
                conn, user_id, data.name, data.position, data.when, data.then
            )
        return Response(
            rule, status_code=HTTP_201_CREATED, headers={"Location": f"{BASE_PATH}/{rule.id}"}
        )

    @get("/{rule_id:int}", operation_id="getRule", summary="One rule")
    async def get_rule(self, user_id: NamedDependency[int], rule_id: PathId) -> Rule:
        async with pool().acquire() as conn:
            rule = await queries.get(conn, user_id, rule_id)
        if rule is None:
            raise _not_found()
        return rule

    @patch(
        "/{rule_id:int}",
        operation_id="updateRule",
        summary="Change a rule's name, position, conditions or actions",
        description="`when` and `then` are replaced as a whole.",
        responses=problem_responses(404, 422),
    )
    async def update_rule(
        self, user_id: NamedDependency[int], rule_id: PathId, data: JSONBody[RuleUpdate]
    ) -> Rule:
        changes: dict[str, Any] = wire_changes(data)
        async with pool().acquire() as conn:
            if "then" in changes:
                await _check_category(conn, user_id, changes["then"])
            rule = await queries.update(conn, user_id, rule_id, changes)
        if rule is None:
            raise _not_found()
        return rule

    @delete(
        "/{rule_id:int}",
        operation_id="deleteRule",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a rule",
    )
    async def delete_rule(self, user_id: NamedDependency[int], rule_id: PathId) -> None:
        async with pool().acquire() as conn:
            if not await queries.delete(conn, user_id, rule_id):
                raise _not_found()

    @post(
        "/{rule_id:int}/apply",
        operation_id="applyRule",
        status_code=HTTP_200_OK,
        summary="Run a rule over your existing expenses",
        description="`matched`: live expenses the rule's conditions hold for; `changed`: "
        "those it changes (a category or description that differs, a tag missing). With "
        "`dry_run=true` nothing is written.",
    )
    async def apply_rule(
        self,
        user_id: NamedDependency[int],
        rule_id: PathId,
        dry_run: Annotated[bool, Parameter(description="Count only; change nothing")] = False,
    ) -> RuleApplication:
        async with pool().acquire() as conn, conn.transaction():
            rule = await queries.get(conn, user_id, rule_id)
            if rule is None:
                raise _not_found()
            return await service.apply(conn, user_id, rule, dry_run=dry_run)
