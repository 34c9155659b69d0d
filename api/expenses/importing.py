"""``POST /api/v1/expenses/import``: a CSV file of expenses, all rows or none.

The file is read (size-capped), decoded, parsed and validated entirely before the
database is touched; any bad row answers 422 with every bad line and writes
nothing. A valid file is written in one transaction by set-based SQL
(``import_sql``), which is what makes 10,000 rows take well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import anyio.to_thread
import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import Parameter

from api.errors import PROBLEM_JSON, Problem, problem_response
from api.expenses.csv_format import FIRST_HEADER, OPTIONAL_COLUMNS
from api.expenses.import_body import MULTIPART_OVERHEAD, import_file
from api.expenses.import_csv import MAX_REPORTED_ERRORS, ParsedFile, decode, parse
from api.expenses.import_groups import group_splits
from api.expenses.import_sql import run_import
from api.openapi import ProblemDetails, problem_responses
from api.settings import Settings
from wire.expenses import ImportLineError, ImportReport
from wire.validation import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_AMOUNT,
    MAX_CATEGORY_NAME,
    MAX_DESCRIPTION,
    MAX_NOTES,
)

DESCRIPTION = f"""\
Import expenses from a CSV file: the body itself (`Content-Type: text/csv`) or the
field `file` of a `multipart/form-data` form.

**Format.** UTF-8 (a byte-order mark is allowed), RFC 4180 quoting. The header row
names the columns `{",".join(FIRST_HEADER)}` and may add `{",".join(OPTIONAL_COLUMNS)}`
(any order, nothing else): the export's header and the first release's both import. Dates
are `YYYY-MM-DD` from {EARLIEST_DATE} to {LATEST_DATE}; amounts are non-zero decimals
(a negative one is a refund or credit, e.g. `-12.50`) with at most two fractional
digits, up to {MAX_AMOUNT} in size; category is 1-{MAX_CATEGORY_NAME}
characters, description at most {MAX_DESCRIPTION}, notes at most {MAX_NOTES} (cells are
trimmed). A cell starting with `'` followed by
`= + - @`, tab, carriage return or `'` loses the `'` (the export's formula guard).

**Money.** An empty `currency` is your base currency. A `base_amount` in a row whose
currency is not your base is what the bank charged: kept as given (`settled`); an
empty one is converted at the day's rate. `tags` are separated by commas. Rows that
share a `split_group` form one split expense (its parts: each row's category, amount
and base amount; the date, description, notes, currency and tags must agree), and
`created` and `duplicates` count expenses.

**Categories.** A category name is matched to yours case-insensitively; an unknown
one is created (with the next colour of the default palette).

**Duplicates.** A row identical to one of your existing expenses (same date,
category, description, amount and currency; notes are not compared) is skipped and counted
in `duplicates`. Identical rows within one file are all created: buying the same
coffee twice a day is real.

**All or nothing.** If any row is invalid the answer is 422 with
`application/problem+json` carrying `created: 0`, `duplicates: 0` and `errors`,
one `{{"line", "message"}}` per bad row (the header is line 1; a row whose quoted
cell spans lines is reported at the line it starts on; at most
{MAX_REPORTED_ERRORS} are listed), and nothing is written. Everything is written
in one transaction.

**Dry run.** `?dry_run=true` answers what a real import would report and writes
nothing, not even categories.

**Limits.** The file may be at most `MAX_IMPORT_BYTES` bytes (default 5 MiB;
413 beyond) and hold at most `MAX_IMPORT_ROWS` rows (default 50,000; 422 beyond).
"""


class ImportProblem(msgspec.Struct):
    """422 problem details that also carry the import report."""

    type: str
    title: str
    status: int
    detail: str
    created: int
    duplicates: int
    errors: list[ImportLineError]


@dataclass
class ImportOperation(Operation):
    """The operation with its request body documented: the handler reads it raw."""

    def __post_init__(self) -> None:
        csv_text = Schema(type=OpenAPIType.STRING, description="The CSV file")
        form = Schema(
            type=OpenAPIType.OBJECT,
            properties={"file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)},
            required=["file"],
        )
        self.request_body = RequestBody(
            required=True,
            content={
                "text/csv": OpenAPIMediaType(schema=csv_text),
                "multipart/form-data": OpenAPIMediaType(schema=form),
            },
        )


def _rejected(detail: str, errors: list[tuple[int, str]]) -> Response[Any]:
    report = [{"line": line, "message": message} for line, message in errors]
    return problem_response(422, detail, extra={"created": 0, "duplicates": 0, "errors": report})


async def import_expenses(
    request: Request,
    user_id: NamedDependency[int],
    settings: NamedDependency[Settings],
    dry_run: Annotated[bool, Parameter(description="Report only; write nothing")] = False,
) -> Response[ImportReport]:
    if user_id in _importing:
        raise _import_running()
    _importing.add(user_id)
    try:
        return await _import(request, user_id, settings, dry_run=dry_run)
    finally:
        _importing.discard(user_id)


# Users with an import in progress on this process (one at a time each); across
# processes the write itself is exclusive (run_import).
_importing: set[int] = set()


def _import_running() -> Problem:
    return Problem(409, "Another import of yours is still running; retry when it has finished.")


def read_file(data: bytes, max_rows: int) -> ParsedFile:
    """Decode and parse: CPU-bound, run in a worker thread off the event loop."""
    text, decode_error = decode(data)
    if text is None:
        assert decode_error is not None
        return ParsedFile(errors=[decode_error], error_count=1, fatal=decode_error[1])
    return parse(text, max_rows)


async def _import(
    request: Request, user_id: int, settings: Settings, *, dry_run: bool
) -> Response[ImportReport]:
    data = await import_file(request, settings.max_import_bytes)
    # Parsing 5 MiB takes a second of CPU; on the event loop it would stall every
    # other request of the process (health checks included) for that long.
    parsed = await anyio.to_thread.run_sync(read_file, data, settings.max_import_rows)
    splits = group_splits(parsed)
    if parsed.fatal:
        return _rejected(parsed.fatal, parsed.errors)
    if parsed.error_count:
        noun = "row is" if parsed.error_count == 1 else "rows are"
        detail = f"{parsed.error_count} {noun} invalid; nothing was imported."
        return _rejected(detail, parsed.errors)
    if not parsed.rows and not splits:
        return Response(ImportReport(created=0, duplicates=0, errors=[]))
    outcome = await run_import(user_id, parsed.rows, splits, dry_run=dry_run)
    if outcome is None:
        raise _import_running()
    return Response(ImportReport(created=outcome.created, duplicates=outcome.duplicates, errors=[]))


def import_route(settings: Settings) -> HTTPRouteHandler:
    """The import route, its body capped at this server's ``MAX_IMPORT_BYTES``."""
    return post(
        "/api/v1/expenses/import",
        tags=["expenses"],
        summary="Import expenses from CSV",
        description=DESCRIPTION,
        status_code=200,
        request_max_body_size=settings.max_import_bytes + MULTIPART_OVERHEAD,
        operation_class=ImportOperation,
        responses={
            **problem_responses(409, 413, 415),
            400: ResponseSpec(
                data_container=ProblemDetails,
                description="A malformed multipart body.",
                media_type=PROBLEM_JSON,
                generate_examples=False,
            ),
            422: ResponseSpec(
                # The report of a refused file, or a bad `dry_run` / missing `file` field.
                data_container=ImportProblem | ProblemDetails,  # type: ignore[arg-type]
                description="An invalid file or row; nothing was written",
                media_type=PROBLEM_JSON,
                generate_examples=False,
            ),
        },
    )(import_expenses)
