"""QIF (Quicken Interchange Format) bank, cash and card registers.

A small reader rather than quiffen: quiffen reads dates with dateutil under a
``day_first`` flag the caller must know in advance, and dateutil silently swaps day
and month when the first reading fails — the very bug this import exists to avoid;
it also pins python-dateutil below 3 and brings pydantic for a line-per-field text
format. Here the date order is decided from every ``D`` line of the file: a day
above 12 settles it; when none does, the statement reports the ambiguity
(``DMY``/``MDY``) and the caller settles it with ``ReadOptions.date_order``.

Dates: ``12/25/2024``, ``12/25'24`` (Quicken's apostrophe for 2000+), ``25.12.2024``,
`` 1/ 5'24``, ``2024-12-25``. Amounts: ``T`` (or ``U``) with the separators decided
over the whole file (``1,234.56`` or ``1.234,56``; a file of ``1.000``-like amounts only
is reported, ``ReadOptions.decimal`` settles it). ``P`` payee is the description,
``M`` memo the notes, ``L`` the category. Splits (``S``/``$``) are not rows: the
transaction's total is. Non-register sections (``!Type:Cat``, ``Invst``, …) are
skipped. QIF has no transaction ids, so ``external_id`` is None.
"""

from __future__ import annotations

import re
from datetime import date

from api.imports.formats.amounts import detect_separators, parse_bank_amount
from api.imports.formats.base import (
    ReadOptions,
    Statement,
    StatementRow,
    UnreadableFile,
    check_row_cap,
)
from api.imports.formats.dates import two_digit_year
from wire.validation import EARLIEST_DATE, LATEST_DATE, FieldError

NAME = "qif"
ORDERS = ("DMY", "MDY")
_REGISTERS = {"bank", "cash", "ccard", "oth a", "oth l"}
_SNIFF = re.compile(rb"^\s*!(?:Type|Account|Option|Clear)", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{1,4})\s*[/.\-]\s*(\d{1,2})\s*(['/.\-])\s*(\d{2,4})\s*$")
_LINES = re.compile(r"\r\n|\r|\n")


def sniff(head: bytes) -> bool:
    return bool(_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")))


def _decode(data: bytes) -> str:
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Quicken writes the Windows code page; cp1252 decodes ISO-8859-1 text alike.
        return data.decode("cp1252", errors="replace")


def _parts(text: str) -> tuple[int, int, int] | None:
    """(first, second, year) of a D field; year-first dates come back as (day, month, year)."""
    if match := re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$", text):
        year, month, day = map(int, match.groups())
        return day, month, year
    match = _DATE.match(text)
    if not match:
        return None
    first, second, mark, year_text = match.groups()
    year = int(year_text)
    if len(year_text) == 2:
        year = 2000 + year if mark == "'" else two_digit_year(year)
    return int(first), int(second), year


def _decide_order(texts: list[str]) -> tuple[str | None, bool]:
    """("DMY" | "MDY" | None, ambiguous) from every date of the file."""
    parts = [p for p in map(_parts, texts) if p]
    day_first = any(first > 12 for first, _, _ in parts)
    month_first = any(second > 12 for _, second, _ in parts)
    if day_first != month_first:
        return ("DMY" if day_first else "MDY"), False
    # Dotted dates are day first wherever they are written.
    if not day_first and any("." in text for text in texts):
        return "DMY", False
    # Neither (or both, which no order reads): the file cannot tell.
    return None, bool(parts) and not day_first


def _date(text: str, order: str | None) -> date | None:
    parts = _parts(text)
    if parts is None or order is None:
        return None
    first, second, year = parts
    if re.match(r"^\s*\d{4}-", text):
        day, month = first, second
    else:
        day, month = (first, second) if order == "DMY" else (second, first)
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if EARLIEST_DATE <= value <= LATEST_DATE else None


def _records(text: str) -> list[tuple[int, dict[str, str]]]:
    """(first line, {field letter: value}) of each register transaction and account."""
    records, fields, start, section = [], {}, 0, "register"
    for number, line in enumerate(_LINES.split(text), start=1):
        if not line.strip():
            continue
        if line.startswith("!"):
            header = line[1:].strip().lower()
            if header.startswith("type:"):
                section = "register" if header[5:].strip() in _REGISTERS else "other"
            elif header == "account":
                section = "account"  # N name, T type … ^: names the register that follows
            fields = {}
            continue
        if line.startswith("^"):
            if section == "register" and fields:
                records.append((start, fields))
            elif section == "account" and "N" in fields:
                records.append((start, {"account": fields["N"]}))
            fields = {}
            continue
        if not fields:
            start = number
        # The first of repeated letters wins (splits repeat S, E and $).
        fields.setdefault(line[0], line[1:].strip())
    return records


def read(data: bytes, options: ReadOptions) -> Statement:
    records = _records(_decode(data))
    accounts = {fields["account"] for _, fields in records if "account" in fields}
    transactions = [(line, fields) for line, fields in records if "account" not in fields]
    if not transactions and not accounts:
        raise UnreadableFile("The QIF file holds no bank, cash or card transactions.")
    check_row_cap(len(transactions), options)
    order, ambiguous = _decide_order([fields.get("D", "") for _, fields in transactions])
    if options.date_order in ORDERS:
        order = options.date_order
    amounts = [fields.get("T") or fields.get("U") or "" for _, fields in transactions]
    decimal, thousands, unsure = detect_separators([a for a in amounts if a])
    if options.decimal in (".", ","):
        decimal, thousands, unsure = options.decimal, "," if options.decimal == "." else ".", False
    statement = Statement(format=NAME, account_id=accounts.pop() if len(accounts) == 1 else None)
    if ambiguous and options.date_order not in ORDERS:
        statement.ambiguities.append({"field": "date_format", "options": list(ORDERS)})
    if unsure:
        # Only "1.000"-like amounts: a thousand or one; never guessed.
        statement.ambiguities.append({"field": "decimal", "options": [".", ","]})
    for (line, fields), amount_text in zip(transactions, amounts, strict=True):
        date_text = fields.get("D", "")
        spent_on, amount, error = _date(date_text, order), None, None
        try:
            amount = None if unsure else parse_bank_amount(amount_text, decimal, thousands)
        except FieldError as exc:
            error = exc.reason
        if spent_on is None and not (ambiguous and order is None and _parts(date_text)):
            error = error or "The date is not a date"
        payee, memo = fields.get("P", ""), fields.get("M", "")
        statement.rows.append(
            StatementRow(
                line=line,
                spent_on=spent_on,
                date_text=date_text,
                amount=amount,
                description=payee or memo,
                notes=memo if payee and memo != payee else "",
                category=fields.get("L") or None,
                error=error,
            )
        )
    return statement
