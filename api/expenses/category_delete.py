"""``DELETE /api/v1/categories/{id}``: a category goes, its expenses optionally move.

It lives with the expenses because moving expenses is theirs to do: categories
stand below expenses and know nothing of them.
"""

from __future__ import annotations

import asyncpg
from litestar import delete
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_204_NO_CONTENT

from api.categories import queries as categories
from api.database import pool
from api.errors import Problem
from api.expenses import queries as expenses
from api.openapi import problem_responses
from api.params import PathId, QueryId
from api.recurring import queries as recurring


def _no_such_category() -> Problem:
    return Problem(404, "No such category.")


@delete(
    "/api/v1/categories/{category_id:int}",
    tags=["categories"],
    status_code=HTTP_204_NO_CONTENT,
    summary="Delete a category",
    responses=problem_responses(409),
    description="While expenses use the category, pass `reassign_to` (another of your "
    "categories) to move them there in the same transaction; without it the answer is 409.",
)
async def delete_category(
    user_id: NamedDependency[int], category_id: PathId, reassign_to: QueryId = None
) -> None:
    if reassign_to == category_id:
        raise Problem(
            422,
            "Expenses cannot be reassigned to the category being deleted.",
            errors=[
                {"field": "reassign_to", "message": "Must be another category", "source": "query"}
            ],
        )
    async with pool().acquire() as conn, conn.transaction():
        if not await categories.lock_owned(conn, user_id, category_id):
            raise _no_such_category()
        if reassign_to is not None:
            if not await categories.owned(conn, user_id, reassign_to):
                raise _no_such_category()
            await expenses.move_category(conn, user_id, category_id, reassign_to)
            await recurring.move_category(conn, user_id, category_id, reassign_to)
        try:
            await categories.delete(conn, user_id, category_id)
        except asyncpg.ForeignKeyViolationError:
            raise Problem(
                409, "Expenses still use this category; pass reassign_to to move them."
            ) from None
