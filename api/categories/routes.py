"""``/api/v1/categories``: list, create, rename/recolour (delete: ``api.expenses``)."""

from __future__ import annotations

import asyncpg
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from api.categories.service import PALETTE
from api.categories.tables import Category as CategoryTable
from api.errors import Problem
from api.openapi import problem_responses
from api.params import PathId
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
    async def list_categories(self, user_id: NamedDependency[int]) -> CategoryList:
        rows = (
            await CategoryTable.select(*COLUMNS)
            .where(CategoryTable.user_id == user_id)
            .order_by(CategoryTable.name)
        )
        return CategoryList(items=[_category(row) for row in rows])

    @post(summary="Create a category", responses=problem_responses(409))
    async def create_category(
        self, user_id: NamedDependency[int], data: JSONBody[CategoryCreate]
    ) -> Category:
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
        self, user_id: NamedDependency[int], category_id: PathId, data: JSONBody[CategoryUpdate]
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
