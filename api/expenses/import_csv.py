"""Parsing and validating an import file: bytes in, valid rows or line errors out.

Pure Python, no database: every rule of API.md's CSV format that can be checked
without the user's data is checked here, for every row, so one 422 lists them all.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from api.expenses.csv_format import HEADER, unescape_cell
from wire.validation import (
    MAX_CATEGORY_NAME,
    MAX_DESCRIPTION,
    MAX_NOTES,
    FieldError,
    check_date,
    check_text,
    parse_expense_amount,
)

# A report naming every bad row of a 50,000-row file would be megabytes; the
# first ones are what a person fixes first anyway.
MAX_REPORTED_ERRORS = 1000
# A cell quoted back in an error is cut to this many characters: the report must
# stay small whatever the file holds.
MAX_ECHO = 40
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A cell may legitimately be as large as the whole upload; the stdlib's 128 KiB
# default would turn a long (but within-limit) body into a parse error.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class ImportRow:
    line: int
    spent_on: date
    category: str
    description: str
    amount: Decimal
    notes: str


@dataclass(slots=True)
class ParsedFile:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    # Set when the file as a whole is unusable (encoding, header, too many rows).
    fatal: str | None = None

    def fail(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((line, message))


def decode(data: bytes) -> tuple[str | None, tuple[int, str] | None]:
    """UTF-8 with or without a BOM; else the line of the first undecodable byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, (line, f"The file is not valid UTF-8 (byte {exc.start + 1}, line {line}).")


def parse(text: str, max_rows: int) -> ParsedFile:
    """Read the header and every row; collect each invalid row with its first line."""
    result = ParsedFile()
    # newline="" hands line endings inside quoted cells to the csv module untouched;
    # non-strict parsing keeps a stray quote (`12" pizza`) as text, as spreadsheets do.
    reader = csv.reader(io.StringIO(text, newline=""))
    columns: dict[str, int] | None = None
    start = 1
    records = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.fail(start, f"Not valid CSV: {exc}.")
            result.fatal = result.fatal or "The file is not valid CSV."
            break
        line, start = start, reader.line_num + 1
        if columns is None:
            columns = _columns(record, result)
            if columns is None:
                return result
            continue
        # Blank lines count too: a file of newlines must hit the cap, not be read to
        # its end for nothing.
        records += 1
        if records > max_rows:
            result.fatal = f"The file has more than {max_rows} rows; split it."
            result.fail(line, f"Row limit of {max_rows} exceeded.")
            return result
        if not any(cell.strip() for cell in record):
            continue  # blank lines carry no expense
        _row(record, line, columns, result)
    if columns is None:
        result.fatal = "The file is empty; it needs the header row " + ",".join(HEADER) + "."
        result.fail(1, "Missing header row.")
    return result


def _columns(record: list[str], result: ParsedFile) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in record]
    missing = [name for name in HEADER if name not in names]
    unknown = [name for name in names if name not in HEADER]
    repeated = sorted({name for name in names if name in HEADER and names.count(name) > 1})
    problems = []
    if missing:
        problems.append("missing column(s) " + ", ".join(missing))
    if unknown:
        problems.append("unknown column(s) " + ", ".join(repr(name) for name in unknown))
    if repeated:
        problems.append("repeated column(s) " + ", ".join(repeated))
    if problems:
        message = "Header must be " + ",".join(HEADER) + ": " + "; ".join(problems) + "."
        result.fail(1, message)
        result.fatal = message
        return None
    return {name: names.index(name) for name in HEADER}


def _date(text: str) -> date | None:
    # fromisoformat alone would also take 20250101 and 2025-W01-1.
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _echo(text: str) -> str:
    """``text`` quoted for an error message, cut short when it is long."""
    return repr(text if len(text) <= MAX_ECHO else text[:MAX_ECHO] + "…")


def _row(record: list[str], line: int, columns: dict[str, int], result: ParsedFile) -> None:
    if len(record) != len(HEADER):
        result.fail(line, f"Expected {len(HEADER)} cells, found {len(record)}.")
        return
    cells = {name: record[index] for name, index in columns.items()}
    problems = []
    raw_date = cells["date"].strip()
    spent_on = _date(raw_date)
    if spent_on is None:
        problems.append(f"date {_echo(raw_date)} is not a date YYYY-MM-DD")
    else:
        try:
            check_date(spent_on, "date")
        except FieldError as exc:
            problems.append(f"date {raw_date}: {exc.reason}")
            spent_on = None
    amount = None
    try:
        amount = parse_expense_amount(cells["amount"])
    except FieldError as exc:
        problems.append(f"amount {_echo(cells['amount'].strip())}: {exc.reason}")
    texts = {}
    for name, limit in (
        ("category", MAX_CATEGORY_NAME),
        ("description", MAX_DESCRIPTION),
        ("notes", MAX_NOTES),
    ):
        # Trim first, as the JSON API does, then undo the export's formula guard:
        # the guard's quote keeps a deliberate leading tab from being trimmed.
        try:
            texts[name] = check_text(unescape_cell(cells[name].strip()), name, limit)
        except FieldError as exc:
            problems.append(f"{name}: {exc.reason}")
            texts[name] = ""
    if not texts["category"]:
        problems.append("category must not be blank")
    if problems or spent_on is None or amount is None:
        message = "; ".join(problems)
        result.fail(line, message[0].upper() + message[1:] + ".")
        return
    result.rows.append(
        ImportRow(line, spent_on, texts["category"], texts["description"], amount, texts["notes"])
    )
