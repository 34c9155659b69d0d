"""Detecting a bank CSV's mapping: where the data starts, which column is what.

The mapping has API.md's shape: ``encoding``, ``delimiter``, ``skip_rows`` (lines
before the header, or before the first row when there is none), ``columns`` (role
→ header name, or 0-based index for a file without a header), ``date_format``,
``decimal``, ``thousands``, ``negate``. A part the file cannot decide is ``None``
and listed in the ambiguities; it is never guessed.

- Data rows have the file's usual width and hold a date and an amount; the record
  just before the first one is the header when it holds no date. Lines above it
  (account number, period) are skipped; summary lines after the data (totals,
  closing balance) hold no date and are not rows.
- The date column is the first whose every value is a date in one of
  :data:`dates.DATE_FORMATS`; the format is decided from the whole column.
- The amount is the first amount-like column. When it is blank in some rows and a
  later amount-like column is filled exactly there, the two are debit and credit
  (header words decide which is which, else the first is the debit).
- The description is the longest text column; a column of three-letter codes is
  the currency. Notes, category and external id are only ever mapped by the user.
- ``negate``: a single amount column without a single negative value lists
  spending as positive (card exports), so it must be turned over.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from api.imports.formats import csv_text
from api.imports.formats.amounts import detect_separators, looks_like_amount
from api.imports.formats.base import UnreadableFile
from api.imports.formats.dates import (
    column_formats,
    is_pending_marker,
    looks_like_date,
    parse_date,
)

# Header words, lower case; a word of more than three letters also matches inside a name.
# fmt: off
_DEBIT_WORDS = ("debit", "withdrawal", "paid out", "money out", "soll", "ausgang", "belastung",
                "lastschrift", "débit", "charge", "out")
_CREDIT_WORDS = ("credit", "deposit", "paid in", "money in", "haben", "eingang", "gutschrift",
                 "crédit", "in")
_CURRENCY_WORDS = ("curr", "ccy", "währung", "wahrung", "waehrung", "devise", "moneda",
                   "valuta", "divisa", "waluta", "měna")
_COMMON_CURRENCIES = frozenset((
    "EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
    "HUF", "RON", "BGN", "TRY", "CNY", "HKD", "SGD", "INR", "ZAR", "MXN", "BRL", "ILS", "KRW",
))
# fmt: on


def _column(records: list[list[str]], index: int) -> list[str]:
    return [cells[index].strip() for cells in records if len(cells) > index]


def _is_amount_column(values: list[str]) -> bool:
    filled = [v for v in values if v]
    # Plain integers alone (ids, check numbers) do not make an amount column.
    return (
        bool(filled)
        and all(looks_like_amount(v) for v in filled)
        and any(c in v for v in filled for c in ".,-()")
        and not column_formats(filled)
    )


def _blank(value: str) -> bool:
    return not value or value.strip("0.,+- ") == ""


def date_choice(values: list[str]) -> tuple[str | None, list[str]]:
    """(format, ambiguous options) decided from every value of a date column."""
    formats = column_formats(values)
    if not formats:
        return None, []
    readings = {tuple(parse_date(v, fmt) for v in values if v) for fmt in formats}
    # Formats that read every value to the same dates are one answer, not a choice.
    return (formats[0], []) if len(readings) == 1 else (None, formats)


def _find_data(rows: list[tuple[int, list[str]]]) -> tuple[int, int, list[list[str]]]:
    """(index of the first data record, usual width, the data records from there on)."""
    dated = [(i, len(cells)) for i, (_, cells) in enumerate(rows) if _transaction_like(cells)]
    if not dated:
        raise UnreadableFile("No line of the file holds both a date and an amount.")
    # Lines above the data (account, period) have their own widths; the rows decide.
    widths = Counter(width for _, width in dated)
    top = max(widths.values())
    width = max(w for w, n in widths.items() if n == top)
    first = next(i for i, w in dated if w >= width)
    return first, width, [rows[i][1] for i, _ in dated if i >= first]


def _transaction_like(cells: list[str]) -> bool:
    dated = [i for i, c in enumerate(cells) if looks_like_date(c) or is_pending_marker(c)]
    return bool(dated) and any(
        looks_like_amount(c) and any(m in c for m in ".,-")
        for i, c in enumerate(cells)
        if i not in dated
    )


def _pick_word(header: list[str] | None, index: int, words: tuple[str, ...]) -> bool:
    if header is None or index >= len(header):
        return False
    name = header[index].strip().lower()
    return any(name == w or name.startswith(w + " ") or (len(w) > 3 and w in name) for w in words)


def _layout(lines: list[str]) -> tuple[str, list, int, int, list[str] | None, list[list[str]]]:
    """(delimiter, records, first data record's index, width, header or None, data records)."""
    # clevercsv's choice first; on tiny files it can be fooled by decimal commas.
    for delimiter in csv_text.delimiters(lines):
        parsed = csv_text.records(lines, delimiter)
        try:
            first, width, rows = _find_data(parsed)
        except UnreadableFile:
            continue
        header = None
        if first > 0:
            candidate = parsed[first - 1][1]
            if len(candidate) >= width - 1 and not any(looks_like_date(c) for c in candidate):
                header = candidate
        return delimiter, parsed, first, width, header, rows
    raise UnreadableFile("No line of the file holds both a date and an amount.")


def _amount_roles(
    rows: list[list[str]], candidates: list[int], header: list[str] | None
) -> tuple[dict[str, int], list[str]]:
    """({"amount": i} or {"debit": i, "credit": j}, every amount text they hold)."""
    first = candidates[0]
    values = _column(rows, first)
    if any(_blank(v) for v in values):
        for other in candidates[1:]:
            others = _column(rows, other)
            if len(others) == len(values) and all(
                _blank(a) != _blank(b) for a, b in zip(values, others, strict=True)
            ):
                debit, credit = first, other
                if _pick_word(header, credit, _DEBIT_WORDS) or _pick_word(
                    header, debit, _CREDIT_WORDS
                ):
                    debit, credit = credit, debit
                return {"debit": debit, "credit": credit}, [v for v in values + others if v]
    return {"amount": first}, [v for v in values if v]


def _is_currency_column(values: list[str], name: str | None) -> bool:
    filled = [v for v in values if v]
    if not filled or not all(len(v) == 3 and v.isalpha() and v.isupper() for v in filled):
        return False
    # "POS", "ATM", "SEPA" type codes are three capitals too: the header or the
    # codes themselves must say currency.
    if name is not None:
        return any(word in name.strip().lower() for word in _CURRENCY_WORDS)
    return all(v in _COMMON_CURRENCIES for v in filled)


def detect(data: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The mapping that reads ``data``, and what it cannot decide."""
    encoding = csv_text.detect_encoding(data)
    lines = csv_text.split_lines(csv_text.decode(data, encoding))
    delimiter, parsed, first, width, header, rows = _layout(lines)
    columns: dict[str, int] = {}
    ambiguities: list[dict[str, Any]] = []
    date_format = None
    for index in range(width):
        # A not-yet-booked entry may say so where its date would be ("Vorgemerkt").
        values = [v for v in _column(rows, index) if not is_pending_marker(v)]
        if any(values) and column_formats(values):
            columns["date"] = index
            date_format, options = date_choice(values)
            if options:
                ambiguities.append({"field": "date_format", "options": options})
            break
    candidates = [
        i for i in range(width) if i != columns.get("date") and _is_amount_column(_column(rows, i))
    ]
    if "date" not in columns or not candidates:
        raise UnreadableFile("No date and amount columns were found; the mapping must name them.")
    roles, amounts = _amount_roles(rows, candidates, header)
    columns.update(roles)
    decimal, thousands, unsure = detect_separators(amounts)
    if unsure:
        ambiguities.append({"field": "decimal", "options": [".", ","]})
    texts = [i for i in range(width) if i not in columns.values() and i not in candidates]
    for index in texts:
        name = header[index] if header is not None and index < len(header) else None
        if _is_currency_column(_column(rows, index), name):
            columns["currency"] = index
            break
    texts = [
        i for i in texts if i != columns.get("currency") and not column_formats(_column(rows, i))
    ]
    if texts:
        lengths = {i: sum(map(len, _column(rows, i))) for i in texts}
        columns["description"] = max(texts, key=lambda i: (lengths[i], -i))
    # A single column without one negative value lists spending as positive.
    negate = "amount" in columns and not any(
        v.strip()[:1] in "-(" or v.endswith("-") for v in amounts
    )
    named = _named(columns, header)
    # The header's record, or, when its names cannot be used, the first data record.
    start = first - 1 if header is not None and named != columns else first
    return {
        "encoding": encoding,
        "delimiter": delimiter,
        "skip_rows": parsed[start][0] - 1,
        "columns": named,
        "date_format": date_format,
        "decimal": None if unsure else decimal,
        "thousands": "" if unsure else thousands,
        "negate": negate,
    }, ambiguities


def _named(columns: dict[str, int], header: list[str] | None) -> dict[str, str | int]:
    """Columns by header name when every used name is there once; else by index."""
    if header is None:
        return dict(columns)
    names = [h.strip() for h in header]
    if all(i < len(names) and names[i] and names.count(names[i]) == 1 for i in columns.values()):
        return {role: names[i] for role, i in columns.items()}
    return dict(columns)
