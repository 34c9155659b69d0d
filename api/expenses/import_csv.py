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

from api.expenses.csv_format import FIRST_HEADER, HEADER, unescape_cell
from wire.validation import (
    MAX_CATEGORY_NAME,
    MAX_DESCRIPTION,
    MAX_NOTES,
    FieldError,
    check_base_amount,
    check_currency,
    check_date,
    check_tags,
    check_text,
    parse_amount,
    parse_expense_amount,
)

# A split group's label only ties rows together; it is not stored.
MAX_SPLIT_GROUP = 100

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
    currency: str | None = None  # None: the account's base currency
    base_amount: Decimal | None = None  # what the bank charged, if the file says
    tags: tuple[str, ...] = ()
    split_group: str = ""  # rows sharing one form one split expense


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
        result.fatal = "The file is empty; it needs the header row " + ",".join(FIRST_HEADER) + "."
        result.fail(1, "Missing header row.")
    return result


def _columns(record: list[str], result: ParsedFile) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in record]
    missing = [name for name in FIRST_HEADER if name not in names]
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
        message = (
            "Header must name the columns " + ",".join(FIRST_HEADER) + " (and may add "
            + ",".join(HEADER[len(FIRST_HEADER) :]) + "): " + "; ".join(problems) + "."
        )  # fmt: skip
        result.fail(1, message)
        result.fatal = message
        return None
    return {name: names.index(name) for name in HEADER if name in names}


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
    if len(record) != len(columns):
        result.fail(line, f"Expected {len(columns)} cells, found {len(record)}.")
        return
    cells = {name: record[index] for name, index in columns.items()}
    problems: list[str] = []
    spent_on = _spent_on(cells["date"].strip(), problems)
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
        ("split_group", MAX_SPLIT_GROUP),
    ):
        # Trim first, as the JSON API does, then undo the export's formula guard:
        # the guard's quote keeps a deliberate leading tab from being trimmed.
        try:
            texts[name] = check_text(unescape_cell(cells.get(name, "").strip()), name, limit)
        except FieldError as exc:
            problems.append(f"{name}: {exc.reason}")
            texts[name] = ""
    if not texts["category"]:
        problems.append("category must not be blank")
    money = _money(cells, amount, problems)
    if problems or spent_on is None or amount is None:
        message = "; ".join(problems)
        result.fail(line, message[0].upper() + message[1:] + ".")
        return
    result.rows.append(
        ImportRow(
            line,
            spent_on,
            texts["category"],
            texts["description"],
            amount,
            texts["notes"],
            *money,
            split_group=texts["split_group"],
        )
    )


def _spent_on(raw: str, problems: list[str]) -> date | None:
    spent_on = _date(raw)
    if spent_on is None:
        problems.append(f"date {_echo(raw)} is not a date YYYY-MM-DD")
        return None
    try:
        return check_date(spent_on, "date")
    except FieldError as exc:
        problems.append(f"date {raw}: {exc.reason}")
        return None


def _money(
    cells: dict[str, str], amount: Decimal | None, problems: list[str]
) -> tuple[str | None, Decimal | None, tuple[str, ...]]:
    """The second release's cells: currency, base amount, tags (empty: none)."""
    currency = base = None
    tags: tuple[str, ...] = ()
    try:
        if raw := cells.get("currency", "").strip():
            currency = check_currency(raw)
        if raw := cells.get("base_amount", "").strip():
            # Zero is a real conversion of a tiny amount, as exports write it.
            base = parse_amount(raw, "base_amount", positive=False)
            if amount is not None:
                check_base_amount(base, amount)
        if raw := unescape_cell(cells.get("tags", "").strip()):
            tags = tuple(check_tags(raw.split(",")))
    except FieldError as exc:
        problems.append(
            f"{exc.field} {_echo(cells.get(exc.field.split('[')[0], ''))}: {exc.reason}"
        )
    return currency, base, tags
