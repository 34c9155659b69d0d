"""Bank files: the preview of a statement, the import's result, past imports, profiles.

``ImportMapping`` is API.md's CSV mapping. Every part is optional here, so a
QIF file's ambiguity can be settled with ``{"date_format": "DMY"}`` alone; a CSV
mapping must be whole (the reader says which part cannot be used).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec

from wire.validation import check_not_blank

MAX_ACCOUNT = 100
MAX_PROFILE_NAME = 100

ColumnRef = (
    Annotated[int, msgspec.Meta(ge=0, le=1000, description="0-based column (no header)")]
    | Annotated[str, msgspec.Meta(min_length=1, max_length=200, description="Header name")]
    | None
)
ImportFormat = Literal["csv", "ofx", "qif", "camt053"]
RowStatus = Literal["new", "duplicate", "error", "skipped"]


class ImportColumns(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    date: ColumnRef = None
    amount: ColumnRef = None
    debit: ColumnRef = None
    credit: ColumnRef = None
    description: ColumnRef = None
    notes: ColumnRef = None
    category: ColumnRef = None
    currency: ColumnRef = None
    external_id: ColumnRef = None


class ImportMapping(msgspec.Struct, forbid_unknown_fields=True):
    encoding: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    delimiter: Literal[",", ";", "\t", "|"] | None = None
    skip_rows: Annotated[int, msgspec.Meta(ge=0, le=100_000)] | None = None
    columns: ImportColumns | None = None
    # CSV: a strptime format such as "%d.%m.%Y"; QIF: "DMY" or "MDY". null: detect.
    date_format: Annotated[str, msgspec.Meta(max_length=20)] | None = None
    decimal: Literal[".", ","] | None = None
    thousands: Literal["", ".", ",", " ", "'"] = ""
    # A single amount column that lists spending as positive (card exports).
    negate: bool = False


class Ambiguity(msgspec.Struct):
    field: Literal["date_format", "decimal"]
    options: list[str]


class StatementFacts(msgspec.Struct):
    account_id: str | None
    # "from"/"to" are Python keywords: renamed on the wire.
    first: date | None = msgspec.field(name="from")
    last: date | None = msgspec.field(name="to")
    closing_balance: Decimal | None = None
    currency: str | None = None


class PreviewRow(msgspec.Struct):
    line: int
    spent_on: date | None
    amount: Decimal | None  # as it would be stored: positive spending, negative refund
    currency: str
    description: str
    category: str | None  # a category name: the rules', else the file's, else "Other"
    tags: list[str]
    external_id: str | None
    status: RowStatus
    rule_id: int | None  # the first rule that matched
    message: str | None


class ImportCounts(msgspec.Struct):
    new: int
    duplicate: int
    error: int
    skipped: int


class ImportPreview(msgspec.Struct):
    format: ImportFormat
    mapping: ImportMapping | None  # CSV only
    ambiguities: list[Ambiguity]
    account: str | None
    statement: StatementFacts
    rows: list[PreviewRow]
    counts: ImportCounts


class ImportResult(msgspec.Struct):
    import_id: int
    created: int
    duplicates: int
    skipped: int


class ImportRecord(msgspec.Struct):
    id: int
    created_at: datetime
    format: ImportFormat
    account: str
    created: int


class ImportPage(msgspec.Struct):
    items: list[ImportRecord]
    next_cursor: str | None


ProfileName = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PROFILE_NAME)]


class ImportProfile(msgspec.Struct):
    id: int
    name: str
    mapping: ImportMapping


class ImportProfileList(msgspec.Struct):
    items: list[ImportProfile]


class ImportProfileCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: ProfileName
    mapping: ImportMapping

    def __post_init__(self) -> None:
        self.name = check_not_blank(self.name, "name")


class ImportProfileUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: ProfileName | msgspec.UnsetType = msgspec.UNSET
    mapping: ImportMapping | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.name, str):
            self.name = check_not_blank(self.name, "name")


def mapping_dict(mapping: ImportMapping) -> dict[str, Any]:
    """The mapping as the format readers take it (unmapped roles left out)."""
    return msgspec.to_builtins(mapping)
