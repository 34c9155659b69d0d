"""``/api/v1/categories``: list, create, rename/recolour, delete (optionally reassigning)."""

from __future__ import annotations

import asyncpg
from litestar import Controller, delete, get, patch, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from api.categories.service import PALETTE
from api.categories.tables import Category as CategoryTable
from api.errors import Problem
from api.expenses.tables import Expense
from api.openapi import problem_responses
from api.piccolo_conf import DB
from wire.categories import Category, CategoryCreate, CategoryList, CategoryUpdate

COLUMNS = (CategoryTable.id, CategoryTable.name, CategoryTable.color)
DUPLICATE_NAME = "A category with this name already exists."


def _category(row: dict) -> Category:
    return Category(id=row["id"], name=row["name"], color=row["color"])


async def _owned(user_id: int, category_id: int) -> Category:
    row = await (
        CategoryTable.select(*COLUMNS)
        .where((CategoryTable.id == category_id) & (CategoryTable.user_id == user_id))
        .first()
    )
    if row is None:
        raise Problem(404, "No such category.")
    return _category(row)


class CategoryController(Controller):
    path = "/api/v1/categories"
    tags = ["categories"]

    @get(summary="Your categories, by name")
    async def list_categories(self, user_id: int) -> CategoryList:
        rows = (
            await CategoryTable.select(*COLUMNS)
            .where(CategoryTable.user_id == user_id)
            .order_by(CategoryTable.name)
        )
        return CategoryList(items=[_category(row) for row in rows])

    @post(summary="Create a category", responses=problem_responses(409))
    async def create_category(self, user_id: int, data: CategoryCreate) -> Category:
        color = data.color
        if color is None:
            count = await CategoryTable.count().where(CategoryTable.user_id == user_id)
            color = PALETTE[count % len(PALETTE)]
        try:
            rows = await CategoryTable.insert(
                CategoryTable(user_id=user_id, name=data.name, color=color)
            ).returning(*COLUMNS)
        except asyncpg.UniqueViolationError:
            raise Problem(409, DUPLICATE_NAME) from None
        return _category(rows[0])

    @patch(
        "/{category_id:int}",
        summary="Rename or recolour a category",
        responses=problem_responses(409),
    )
    async def update_category(
        self, user_id: int, category_id: int, data: CategoryUpdate
    ) -> Category:
        changes = {
            column: value
            for column, value in (
                (CategoryTable.name, data.name),
                (CategoryTable.color, data.color),
            )
            if isinstance(value, str)
        }
        if not changes:
            return await _owned(user_id, category_id)
        try:
            rows = (
                await CategoryTable.update(changes)
                .where((CategoryTable.id == category_id) & (CategoryTable.user_id == user_id))
                .returning(*COLUMNS)
            )
        except asyncpg.UniqueViolationError:
            raise Problem(409, DUPLICATE_NAME) from None
        if not rows:
            raise Problem(404, "No such category.")
        return _category(rows[0])

    @delete(
        "/{category_id:int}",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a category",
        responses=problem_responses(409),
        description="While expenses use the category, pass `reassign_to` (another of your "
        "categories) to move them there in the same transaction; without it the answer is 409.",
    )
    async def delete_category(
        self,
        user_id: int,
        category_id: int,
        reassign_to: int | None = Parameter(query="reassign_to", default=None, ge=1),
    ) -> None:
        await _owned(user_id, category_id)
        if reassign_to is not None:
            if reassign_to == category_id:
                raise Problem(
                    422,
                    "Expenses cannot be reassigned to the category being deleted.",
                    errors=[{"field": "reassign_to", "message": "Must be another category"}],
                )
            await _owned(user_id, reassign_to)
        async with DB.transaction():
            if reassign_to is not None:
                await Expense.update({Expense.category_id: reassign_to}).where(
                    (Expense.user_id == user_id) & (Expense.category_id == category_id)
                )
            try:
                await CategoryTable.delete().where(
                    (CategoryTable.id == category_id) & (CategoryTable.user_id == user_id)
                )
            except asyncpg.ForeignKeyViolationError:
                raise Problem(
                    409,
                    "Expenses still use this category; pass reassign_to to move them.",
                ) from None
