"""What every statement format produces, and the errors a file can be refused with.

A format is pure: bytes in, :class:`Statement` out. Rows keep what the file says —
its sign (negative is money leaving the account, as banks write it), currency,
external id, pending flag and line — and nothing is decided here about debits,
credits, pending entries, zero amounts or duplicates: the import service decides
those once, for every format alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

# The import caps of the first release's CSV import apply to every format; callers
# pass their own (the route passes the settings), these are only the defaults.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 50_000


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; the route answers 422 with ``str(error)``.

    Messages are written by us and never quote the file's content, so a hostile
    file cannot put text (or megabytes) into the answer.
    """


class UnsafeFile(UnreadableFile):
    """A file built to hurt the reader: a DTD or entities in XML, a zip bomb."""


class TooLarge(UnreadableFile):
    """More bytes or rows than the caller's caps allow."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_rows: int = DEFAULT_MAX_ROWS
    # CSV: the mapping the user settled (API.md's shape); None detects everything.
    mapping: dict[str, Any] | None = None
    # QIF: "DMY" or "MDY", "." or ",", when the file alone cannot tell (see qif.py).
    date_order: str | None = None
    decimal: str | None = None


@dataclass(frozen=True, slots=True)
class StatementRow:
    line: int
    # None while the date cannot be read (an error) or its format is unsettled.
    spent_on: date | None
    amount: Decimal | None
    description: str
    date_text: str = ""
    notes: str = ""
    category: str | None = None
    currency: str | None = None
    external_id: str | None = None
    pending: bool = False
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "spent_on": self.spent_on.isoformat() if self.spent_on else None,
            "date_text": self.date_text,
            "amount": None if self.amount is None else str(self.amount),
            "currency": self.currency,
            "description": self.description,
            "notes": self.notes,
            "category": self.category,
            "external_id": self.external_id,
            "pending": self.pending,
            "error": self.error,
        }


@dataclass(slots=True)
class Statement:
    format: str
    rows: list[StatementRow] = field(default_factory=list)
    account_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    closing_balance: Decimal | None = None
    currency: str | None = None
    # CSV only: the mapping that was detected or given (API.md's shape).
    mapping: dict[str, Any] | None = None
    # What the file cannot decide: [{"field": "date_format", "options": [...]}].
    ambiguities: list[dict[str, Any]] = field(default_factory=list)

    def statement_dict(self) -> dict[str, Any]:
        """The contract's ``statement`` object."""
        return {
            "account_id": self.account_id,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "closing_balance": None if self.closing_balance is None else str(self.closing_balance),
            "currency": self.currency,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "statement": self.statement_dict(),
            "mapping": self.mapping,
            "ambiguities": self.ambiguities,
            "rows": [row.as_dict() for row in self.rows],
        }


class StatementFormat(Protocol):
    NAME: str

    def sniff(self, head: bytes) -> bool: ...

    def read(self, data: bytes, options: ReadOptions) -> Statement: ...


def check_row_cap(count: int, options: ReadOptions) -> None:
    """Called as rows are made, so a huge file stops early rather than at the end."""
    if count > options.max_rows:
        raise TooLarge(f"The file has more than {options.max_rows} transactions.")
