"""``/api/v1/import-profiles``: saved CSV mappings, one per bank, shareable as JSON."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, delete, get, patch, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.database import pool
from api.errors import Problem
from api.imports import profiles
from api.imports.formats import UnreadableFile
from api.imports.formats.bank_csv import check_mapping
from api.openapi import problem_responses
from api.params import PathId
from api.updates import changes as wire_changes
from wire.imports import (
    ImportMapping,
    ImportProfile,
    ImportProfileCreate,
    ImportProfileList,
    ImportProfileUpdate,
    mapping_dict,
)

BASE_PATH = "/api/v1/import-profiles"


def _not_found() -> Problem:
    return Problem(404, "No such import profile.")


def _usable(mapping: ImportMapping) -> None:
    """A profile is a whole CSV mapping: the reader must be able to use it as it is."""
    try:
        check_mapping(mapping_dict(mapping))
    except UnreadableFile as error:
        message = str(error)
        raise Problem(
            422, message, errors=[{"field": "mapping", "message": message, "source": "body"}]
        ) from None


class ImportProfileController(Controller):
    path = BASE_PATH
    tags = ["imports"]

    @get(operation_id="listImportProfiles", summary="Your saved CSV mappings, by name")
    async def list_import_profiles(self, user_id: NamedDependency[int]) -> ImportProfileList:
        async with pool().acquire() as conn:
            return ImportProfileList(items=await profiles.list_profiles(conn, user_id))

    @post(
        operation_id="createImportProfile",
        status_code=HTTP_201_CREATED,
        summary="Save a CSV mapping under a name",
        response_headers=[
            ResponseHeader(name="Location", description="The profile", documentation_only=True)
        ],
    )
    async def create_import_profile(
        self, user_id: NamedDependency[int], data: JSONBody[ImportProfileCreate]
    ) -> Response[ImportProfile]:
        _usable(data.mapping)
        async with pool().acquire() as conn:
            profile = await profiles.insert(conn, user_id, data.name, data.mapping)
        return Response(
            profile,
            status_code=HTTP_201_CREATED,
            headers={"Location": f"{BASE_PATH}/{profile.id}"},
        )

    @get("/{profile_id:int}", operation_id="getImportProfile", summary="One saved mapping")
    async def get_import_profile(
        self, user_id: NamedDependency[int], profile_id: PathId
    ) -> ImportProfile:
        async with pool().acquire() as conn:
            profile = await profiles.get(conn, user_id, profile_id)
        if profile is None:
            raise _not_found()
        return profile

    @patch(
        "/{profile_id:int}",
        operation_id="updateImportProfile",
        summary="Rename a profile or replace its mapping",
        responses=problem_responses(404, 422),
    )
    async def update_import_profile(
        self, user_id: NamedDependency[int], profile_id: PathId, data: JSONBody[ImportProfileUpdate]
    ) -> ImportProfile:
        changes: dict[str, Any] = wire_changes(data)
        if "mapping" in changes:
            _usable(changes["mapping"])
        async with pool().acquire() as conn:
            profile = await profiles.update(conn, user_id, profile_id, changes)
        if profile is None:
            raise _not_found()
        return profile

    @delete(
        "/{profile_id:int}",
        operation_id="deleteImportProfile",
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete a saved mapping",
    )
    async def delete_import_profile(
        self, user_id: NamedDependency[int], profile_id: PathId
    ) -> None:
        async with pool().acquire() as conn:
            if not await profiles.delete(conn, user_id, profile_id):
                raise _not_found()
