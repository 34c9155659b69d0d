"""Reading a bank-file request: the multipart fields of preview and commit.

``file`` (the statement), and optionally ``mapping`` (JSON), ``profile_id``,
``account`` and ``include_credits`` (``true``/``false``). Every malformed field is a
422 naming it; the file is capped at ``MAX_IMPORT_BYTES`` (413).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)

from api.errors import Problem
from api.expenses.import_body import too_large
from api.imports.service import MAX_ACCOUNT, Upload
from wire.imports import ImportMapping, mapping_dict
from wire.validation import MAX_ID

FIELDS = {
    "file": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY),
    "mapping": Schema(
        type=OpenAPIType.STRING,
        description="JSON: the mapping the preview showed, changed as you wish (CSV); "
        '`{"date_format": "DMY"}` settles a QIF file',
    ),
    "profile_id": Schema(type=OpenAPIType.INTEGER, description="Read with this saved mapping"),
    "account": Schema(
        type=OpenAPIType.STRING, max_length=MAX_ACCOUNT, description='A label, e.g. "Visa 1234"'
    ),
    "include_credits": Schema(
        type=OpenAPIType.BOOLEAN, description="Import credits as refunds (default: skip them)"
    ),
}


@dataclass
class UploadOperation(Operation):
    """The operation with its multipart body documented: the handler reads it raw."""

    def __post_init__(self) -> None:
        form = Schema(type=OpenAPIType.OBJECT, properties=dict(FIELDS), required=["file"])
        self.request_body = RequestBody(
            required=True, content={"multipart/form-data": OpenAPIMediaType(schema=form)}
        )


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        422, f"{field}: {message}", errors=[{"field": field, "message": message, "source": "body"}]
    )


@dataclass(frozen=True, slots=True)
class Fields:
    upload: Upload
    profile_id: int | None


async def read_fields(request: Request, max_bytes: int) -> Fields:
    if request.content_type[0] != RequestEncodingType.MULTI_PART:
        raise Problem(415, "Send the statement as multipart/form-data, field `file`.")
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise _invalid("file", "Field required")
    data = await upload.read()
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    text = {name: _text(form.get(name), name) for name in FIELDS if name != "file"}
    return Fields(
        Upload(
            data=data,
            mapping=_mapping(text["mapping"]),
            account=_account(text["account"]),
            include_credits=_boolean(text["include_credits"], "include_credits"),
        ),
        _id(text["profile_id"], "profile_id"),
    )


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _invalid(field, "Must be a text field, not a file")
    if "\x00" in value:
        raise _invalid(field, "Must not contain the NUL character")
    return value


def _mapping(text: str | None) -> dict[str, Any] | None:
    if text is None or not text.strip():
        return None
    try:
        return mapping_dict(msgspec.json.decode(text, type=ImportMapping))
    except (msgspec.ValidationError, msgspec.DecodeError, RecursionError) as error:
        message = str(error) if isinstance(error, msgspec.ValidationError) else "Not valid JSON"
        raise _invalid("mapping", message) from None


def _account(text: str | None) -> str | None:
    label = (text or "").strip()
    if len(label) > MAX_ACCOUNT:
        raise _invalid("account", f"Must be at most {MAX_ACCOUNT} characters")
    return label or None


def _boolean(text: str | None, field: str) -> bool:
    if text is None or text == "false":
        return False
    if text == "true":
        return True
    raise _invalid(field, "Must be true or false")


def _id(text: str | None, field: str) -> int | None:
    if text is None or text == "":
        return None
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise _invalid(field, f"Must be an id from 1 to {MAX_ID}")
    return int(text)


def unknown_profile() -> Problem:
    return _invalid("profile_id", "No such import profile")
