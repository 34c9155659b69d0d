"""``/api/v1/tags``: a user's tags with their counts, rename (or merge), delete.

A tag is named in the path (URL-encoded) and matched case-insensitively; a name no
tag can have (too long, NUL) names nothing: 404, like an unknown one.
"""

from __future__ import annotations

from litestar import Controller, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from api.database import pool
from api.errors import Problem
from api.openapi import problem_responses
from api.tags import queries
from wire.tags import Tag, TagList, TagRename
from wire.validation import MAX_TAG


def _not_found() -> Problem:
    return Problem(404, "No such tag.")


def _checked(name: str) -> str:
    # A path parameter: a tag may hold "/" (sent as %2F, which the server decodes
    # before routing), so the rest of the path is the name; it starts with "/".
    name = name.removeprefix("/").strip()
    if not name or len(name) > MAX_TAG or "\x00" in name:
        raise _not_found()
    return name


class TagController(Controller):
    path = "/api/v1/tags"
    tags = ["tags"]

    @get(operation_id="listTags", summary="Your tags with how many expenses carry each, by name")
    async def list_tags(self, user_id: NamedDependency[int]) -> TagList:
        async with pool().acquire() as conn:
            rows = await queries.list_tags(conn, user_id)
        return TagList(items=[Tag(row.name, row.count) for row in rows])

    @patch(
        "/{name:path}",
        operation_id="renameTag",
        summary="Rename a tag, or merge it into another",
        description="Renaming onto another of your tags (compared case-insensitively) "
        "merges the two and keeps that tag's spelling; renaming a tag to another case "
        "of itself changes its spelling. `count` is the result's.",
        responses=problem_responses(404, 422),
    )
    async def rename_tag(
        self, user_id: NamedDependency[int], name: FromPath[str], data: JSONBody[TagRename]
    ) -> Tag:
        old = _checked(name)
        async with pool().acquire() as conn, conn.transaction():
            row = await queries.rename(conn, user_id, old, data.name)
        if row is None:
            raise _not_found()
        return Tag(row.name, row.count)

    @delete(
        "/{name:path}",
        operation_id="deleteTag",
        status_code=HTTP_204_NO_CONTENT,
        summary="Remove a tag from every expense",
        responses=problem_responses(404),
    )
    async def delete_tag(self, user_id: NamedDependency[int], name: FromPath[str]) -> None:
        old = _checked(name)
        async with pool().acquire() as conn, conn.transaction():
            if not await queries.delete(conn, user_id, old):
                raise _not_found()
