"""``/api/v1/imports``: preview a bank file, import it, list past imports, undo one."""

from __future__ import annotations

from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import ResponseHeader
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.cursor import decode_cursor, encode_cursor, invalid_cursor
from api.database import pool
from api.errors import PROBLEM_JSON, Problem, problem_response
from api.expenses.import_body import MULTIPART_OVERHEAD
from api.imports import profiles, queries, service
from api.imports.formats import Statement, UnreadableFile
from api.imports.upload import Fields, UploadOperation, read_fields, unknown_profile
from api.openapi import ProblemDetails, problem_responses
from api.params import PathId
from api.settings import Settings
from wire.imports import (
    Ambiguity,
    ImportCounts,
    ImportMapping,
    ImportPage,
    ImportPreview,
    ImportRecord,
    ImportResult,
    PreviewRow,
    StatementFacts,
)

BASE_PATH = "/api/v1/imports"
_ORDERING = "imports:id:desc"
# A refused commit lists its error rows; a 50,000-row file's would be megabytes.
MAX_REPORTED_ROWS = 1000


class RefusedImport(msgspec.Struct):
    """422 problem details of a commit that wrote nothing, with the rows to fix."""

    type: str
    title: str
    status: int
    detail: str
    rows: list[PreviewRow]
    ambiguities: list[Ambiguity]


def _not_found() -> Problem:
    return Problem(404, "No such import.")


async def _statement(request: Request, user_id: int, settings: Settings) -> tuple[Statement, Any]:
    fields = await read_fields(request, settings.max_import_bytes)
    upload = await _with_profile(fields, user_id)
    try:
        # Reading a 5 MiB statement takes CPU time that would stall the event loop.
        statement = await anyio.to_thread.run_sync(
            service.read, upload, settings.max_import_bytes, settings.max_import_rows
        )
    except UnreadableFile as error:  # our own words, never the file's
        raise Problem(422, str(error)) from None
    return statement, upload


async def _with_profile(fields: Fields, user_id: int) -> service.Upload:
    if fields.profile_id is None or fields.upload.mapping is not None:
        return fields.upload
    async with pool().acquire() as conn:
        profile = await profiles.get(conn, user_id, fields.profile_id)
    if profile is None:
        raise unknown_profile()
    mapping = msgspec.to_builtins(profile.mapping)
    return service.Upload(
        fields.upload.data, mapping, fields.upload.account, fields.upload.include_credits
    )


def _row(row: service.Row) -> PreviewRow:
    return PreviewRow(
        line=row.line,
        spent_on=row.spent_on,
        amount=row.amount,
        currency=row.currency,
        description=row.description,
        category=row.category,
        tags=row.tags,
        external_id=row.external_id,
        status=row.status,  # type: ignore[arg-type]
        rule_id=row.rule_id,
        message=row.message,
    )


def _preview(evaluation: service.Evaluation) -> ImportPreview:
    statement = evaluation.statement
    facts = statement.statement_dict()
    counts = {"new": 0, "duplicate": 0, "error": 0, "skipped": 0}
    for row in evaluation.rows:
        counts[row.status] += 1
    return ImportPreview(
        format=statement.format,  # type: ignore[arg-type]
        mapping=None
        if statement.mapping is None
        else msgspec.convert(statement.mapping, ImportMapping),
        ambiguities=msgspec.convert(statement.ambiguities, list[Ambiguity]),
        account=evaluation.account or None,
        statement=StatementFacts(
            account_id=facts["account_id"],
            first=statement.date_from,
            last=statement.date_to,
            closing_balance=statement.closing_balance,
            currency=statement.currency,
        ),
        rows=[_row(row) for row in evaluation.rows],
        counts=ImportCounts(**counts),
    )


async def preview(request: Request, user_id: int, settings: Settings) -> ImportPreview:
    statement, upload = await _statement(request, user_id, settings)
    async with pool().acquire() as conn:
        evaluation = await service.evaluate(conn, user_id, statement, upload)
    return await anyio.to_thread.run_sync(_preview, evaluation)


async def commit(request: Request, user_id: int, settings: Settings) -> Response[Any]:
    statement, upload = await _statement(request, user_id, settings)
    async with pool().acquire() as conn, conn.transaction():
        # One import per user at a time, across processes (and with the CSV import).
        if not await conn.fetchval(queries.LOCK_SQL, user_id):
            raise Problem(
                409, "Another import of yours is still running; retry when it has finished."
            )
        evaluation = await service.evaluate(conn, user_id, statement, upload)
        refused = evaluation.refusals()
        if refused or statement.ambiguities:
            return _refusal(evaluation, refused)
        import_id, created = await service.commit(conn, user_id, evaluation)
    counts = [row.status for row in evaluation.rows]
    result = ImportResult(
        import_id=import_id,
        created=created,
        duplicates=counts.count("duplicate"),
        skipped=counts.count("skipped"),
    )
    return Response(
        result, status_code=HTTP_201_CREATED, headers={"Location": f"{BASE_PATH}/{import_id}"}
    )


def _refusal(evaluation: service.Evaluation, refused: list[service.Row]) -> Response[Any]:
    parts = []
    if refused:
        parts.append(f"{len(refused)} {'row is' if len(refused) == 1 else 'rows are'} invalid")
    if evaluation.statement.ambiguities:
        names = ", ".join(a["field"] for a in evaluation.statement.ambiguities)
        parts.append(f"the mapping must settle: {names}")
    return problem_response(
        422,
        "; ".join(parts).capitalize() + "; nothing was imported.",
        extra={
            "rows": msgspec.to_builtins([_row(row) for row in refused[:MAX_REPORTED_ROWS]]),
            "ambiguities": evaluation.statement.ambiguities,
        },
    )


def _upload_responses(*statuses: int) -> dict[int, ResponseSpec]:
    return {
        **problem_responses(*statuses),
        400: ResponseSpec(
            data_container=ProblemDetails,
            description="A malformed multipart body.",
            media_type=PROBLEM_JSON,
            generate_examples=False,
        ),
    }


def _record(row: queries.ImportRow) -> ImportRecord:
    return ImportRecord(
        id=row.id,
        created_at=row.created_at,
        format=row.format,  # type: ignore[arg-type]
        account=row.account,
        created=row.created,
    )


def import_controller(settings: Settings) -> type[Controller]:
    """The imports controller; preview and commit take bodies up to this server's
    ``MAX_IMPORT_BYTES`` (Litestar refuses one routing path shared by a controller
    and a free handler, so the cap is built into the class)."""
    cap = settings.max_import_bytes + MULTIPART_OVERHEAD

    class ImportController(Controller):
        path = BASE_PATH
        tags = ["imports"]

        @post(
            "/preview",
            operation_id="previewImport",
            summary="Read a bank statement and show what an import would do; writes nothing",
            status_code=200,
            request_max_body_size=cap,
            operation_class=UploadOperation,
            responses=_upload_responses(413, 415, 422),
        )
        async def preview_import(
            self,
            request: Request,
            user_id: NamedDependency[int],
            settings: NamedDependency[Settings],
        ) -> ImportPreview:
            return await preview(request, user_id, settings)

        @post(
            operation_id="createImport",
            summary="Import a bank statement: all its new rows, or nothing",
            status_code=HTTP_201_CREATED,
            request_max_body_size=cap,
            operation_class=UploadOperation,
            response_headers=[
                ResponseHeader(name="Location", description="The import", documentation_only=True)
            ],
            responses={
                **_upload_responses(409, 413, 415),
                422: ResponseSpec(
                    data_container=RefusedImport | ProblemDetails,  # type: ignore[arg-type]
                    description="Invalid rows or an unsettled ambiguity; nothing was written",
                    media_type=PROBLEM_JSON,
                    generate_examples=False,
                ),
            },
        )
        async def create_import(
            self,
            request: Request,
            user_id: NamedDependency[int],
            settings: NamedDependency[Settings],
        ) -> Response[ImportResult]:
            return await commit(request, user_id, settings)

        @get(operation_id="listImports", summary="Past imports, newest first")
        async def list_imports(
            self,
            user_id: NamedDependency[int],
            settings: NamedDependency[Settings],
            limit: Annotated[int, Parameter(ge=1, le=500)] = 50,
            cursor: Annotated[str | None, Parameter(max_length=1000)] = None,
        ) -> ImportPage:
            before = None
            if cursor is not None:
                position = decode_cursor(cursor, user_id, _ORDERING, settings.jwt_secret)
                if len(position) != 1 or not isinstance(position[0], int):
                    raise invalid_cursor()
                before = position[0]
            async with pool().acquire() as conn:
                rows = await queries.page(conn, user_id, limit + 1, before)
            next_cursor = None
            if len(rows) > limit:
                rows = rows[:limit]
                next_cursor = encode_cursor(user_id, _ORDERING, [rows[-1].id], settings.jwt_secret)
            return ImportPage(items=[_record(row) for row in rows], next_cursor=next_cursor)

        @get("/{import_id:int}", operation_id="getImport", summary="One past import")
        async def get_import(
            self, user_id: NamedDependency[int], import_id: PathId
        ) -> ImportRecord:
            async with pool().acquire() as conn:
                row = await queries.get(conn, user_id, import_id)
            if row is None:
                raise _not_found()
            return _record(row)

        @delete(
            "/{import_id:int}",
            operation_id="undoImport",
            status_code=HTTP_204_NO_CONTENT,
            summary="Undo an import: its expenses go to the trash",
            description="Every expense the import created that is not in the trash yet moves "
            "there (restorable for 30 days); the import leaves the list. Expenses in the trash "
            "keep their bank ids, so importing the file again finds them as duplicates.",
        )
        async def undo_import(self, user_id: NamedDependency[int], import_id: PathId) -> None:
            async with pool().acquire() as conn, conn.transaction():
                if not await queries.undo(conn, user_id, import_id):
                    raise _not_found()

    return ImportController
