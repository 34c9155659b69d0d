"""Any bank's CSV, read through a mapping that was detected or given.

The mapping (API.md's shape, see :mod:`csv_detect`) is applied as it is: the
reader decides nothing that the mapping settles, so a mapping the preview showed
and the user left alone reads the same rows again. A part left ``None``
(``date_format``, ``decimal``) is detected from the file; when the file cannot
decide it either, rows keep ``spent_on``/``amount`` ``None`` without an error and
the ambiguity is reported, for the user to settle.

A date cell saying "Vorgemerkt" or "Pending" (some banks' marker of an entry not yet
booked) gives a pending row without a date. A record without the mapped columns,
or with a blank date cell, is not a transaction (spacer, "Total" or closing-balance
line) and gives no row. Debit and credit columns give one signed amount, credit
minus debit; ``negate`` is reported, not applied — the sign is decided in the
import service for every format alike.
"""

from __future__ import annotations

import codecs
from typing import Any

from api.imports.formats import csv_detect, csv_text
from api.imports.formats.amounts import THOUSANDS, detect_separators, parse_bank_amount
from api.imports.formats.base import (
    ReadOptions,
    Statement,
    StatementRow,
    UnreadableFile,
    check_row_cap,
)
from api.imports.formats.dates import DATE_FORMATS, is_pending_marker, looks_like_date, parse_date
from wire.validation import FieldError

NAME = "csv"
ROLES = (
    "date",
    "amount",
    "debit",
    "credit",
    "description",
    "notes",
    "category",
    "currency",
    "external_id",
)


def sniff(head: bytes) -> bool:
    # The last format: any text is a candidate (UTF-16 holds NULs, other text does not).
    return head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" not in head


def _checked(mapping: Any) -> dict[str, Any]:
    """The mapping, or an :class:`UnreadableFile` naming the part that is wrong."""
    if not isinstance(mapping, dict):
        raise UnreadableFile("The mapping must be an object.")
    bad = [
        key
        for key, ok in (
            (
                "encoding",
                isinstance(mapping.get("encoding"), str) and len(mapping["encoding"]) < 40,
            ),
            ("delimiter", mapping.get("delimiter") in csv_text.DELIMITERS),
            ("skip_rows", type(mapping.get("skip_rows")) is int and mapping["skip_rows"] >= 0),
            ("columns", isinstance(mapping.get("columns"), dict)),
            ("date_format", mapping.get("date_format") in (*DATE_FORMATS, None)),
            ("decimal", mapping.get("decimal") in (".", ",", None)),
            ("thousands", mapping.get("thousands", "") in THOUSANDS),
            ("negate", isinstance(mapping.get("negate", False), bool)),
        )
        if not ok
    ]
    columns = mapping.get("columns") if isinstance(mapping.get("columns"), dict) else {}
    if not bad and (
        set(columns) - set(ROLES)
        or not all(
            (type(v) is int and v >= 0) or (isinstance(v, str) and v) for v in columns.values()
        )
        or "date" not in columns
        or ("amount" in columns) == ("debit" in columns or "credit" in columns)
        or ("debit" in columns) != ("credit" in columns)
    ):
        bad.append("columns")
    if bad:
        raise UnreadableFile(f"The mapping's {', '.join(bad)} cannot be used.")
    return {
        **mapping,
        "thousands": mapping.get("thousands", ""),
        "negate": mapping.get("negate", False),
    }


def check_mapping(mapping: Any) -> dict[str, Any]:
    """A mapping as :func:`read` takes it, or an :class:`UnreadableFile` naming the
    part that cannot be used (a profile is checked this way before it is saved)."""
    return _checked(mapping)


def _indices(columns: dict[str, str | int], header: list[str] | None) -> dict[str, int]:
    names = [h.strip() for h in header] if header is not None else []
    indices = {}
    for role, ref in columns.items():
        if isinstance(ref, int):
            indices[role] = ref
        elif ref.strip() in names:
            indices[role] = names.index(ref.strip())
        else:
            raise UnreadableFile(f"The file has no column named as the mapping's {role}.")
    return indices


def _amount(cells: list[str], at: dict[str, int], decimal: str, thousands: str) -> Any:
    if "amount" in at:
        return parse_bank_amount(cells[at["amount"]], decimal, thousands)
    debit, credit = cells[at["debit"]].strip(), cells[at["credit"]].strip()
    if not debit and not credit:
        raise FieldError("amount", "Neither debit nor credit holds an amount")
    out = abs(parse_bank_amount(debit, decimal, thousands)) if debit else 0
    into = abs(parse_bank_amount(credit, decimal, thousands)) if credit else 0
    return into - out


def read(data: bytes, options: ReadOptions) -> Statement:
    if options.mapping is None:
        mapping, ambiguities = csv_detect.detect(data)
    else:
        mapping, ambiguities = _checked(options.mapping), []
    lines = csv_text.split_lines(csv_text.decode(data, mapping["encoding"]))
    parsed = csv_text.records(lines, mapping["delimiter"], mapping["skip_rows"])
    columns = mapping["columns"]
    header = None
    if any(isinstance(ref, str) for ref in columns.values()) and parsed:
        header = parsed.pop(0)[1]
    at = _indices(columns, header)
    records = _transactions(parsed, at)
    check_row_cap(len(records), options)
    if options.mapping is not None:
        mapping, ambiguities = _settle(mapping, records, at)
    return _statement(mapping, ambiguities, records, at)


def _transactions(parsed: list[tuple[int, list[str]]], at: dict[str, int]) -> list:
    """Records with the mapped columns and a date cell, less the summary lines after the data."""
    needed = max(at.values()) + 1
    records = [
        (n, cells) for n, cells in parsed if len(cells) >= needed and cells[at["date"]].strip()
    ]
    dated = [
        i
        for i, (_, cells) in enumerate(records)
        if looks_like_date(cells[at["date"]]) or is_pending_marker(cells[at["date"]])
    ]
    # "Summe", "Closing balance 31.01.": below the last dated row, a line is not a row.
    return records[: dated[-1] + 1] if dated else records


def _settle(mapping: dict[str, Any], records: list, at: dict[str, int]) -> tuple[dict, list]:
    """Detect the parts a given mapping left ``None``, reporting what stays open."""
    ambiguities = []
    if mapping["date_format"] is None:
        choice, options = csv_detect.date_choice(
            [cells[at["date"]].strip() for _, cells in records]
        )
        mapping = {**mapping, "date_format": choice}
        if options:
            ambiguities.append({"field": "date_format", "options": options})
    if mapping["decimal"] is None:
        roles = [r for r in ("amount", "debit", "credit") if r in at]
        values = [
            cells[at[r]].strip() for _, cells in records for r in roles if cells[at[r]].strip()
        ]
        decimal, thousands, unsure = detect_separators(values)
        if unsure:
            ambiguities.append({"field": "decimal", "options": [".", ","]})
        else:
            mapping = {**mapping, "decimal": decimal, "thousands": thousands}
    return mapping, ambiguities


def _statement(mapping: dict, ambiguities: list, records: list, at: dict[str, int]) -> Statement:
    statement = Statement(format=NAME, mapping=mapping, ambiguities=ambiguities)
    fmt, decimal, thousands = mapping["date_format"], mapping["decimal"], mapping["thousands"]

    def cell(cells: list[str], role: str) -> str:
        return cells[at[role]].strip() if role in at else ""

    for line, cells in records:
        date_text = cell(cells, "date")
        pending = is_pending_marker(date_text)
        spent_on = parse_date(date_text, fmt) if fmt and not pending else None
        error = (
            None if spent_on or pending or not fmt else "The date does not match the date format"
        )
        amount = None
        if decimal is not None:
            try:
                amount = _amount(cells, at, decimal, thousands)
            except FieldError as exc:
                error = error or exc.reason
        currency = cell(cells, "currency").upper() or None
        statement.rows.append(
            StatementRow(
                line=line,
                spent_on=spent_on,
                date_text=date_text,
                amount=amount,
                description=cell(cells, "description"),
                notes=cell(cells, "notes"),
                category=cell(cells, "category") or None,
                currency=currency,
                external_id=cell(cells, "external_id") or None,
                pending=pending,
                error=error,
            )
        )
    return statement
