"""What the wizard reads from the statement itself: a CSV's header, the first dates.

The preview says a date column is ambiguous but, having refused to guess, gives no
dates. To spell the choices out ("01/02/2025 = 1 February 2025") the wizard reads
the file's own first dates here, with the mapping the preview detected. Pure
functions, no Qt: they run in the preview's worker (``read`` asks the server too).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from desktop.client import ApiClient
from desktop.client.imports import Statement
from desktop.errors import ApiError
from wire.imports import ImportMapping, ImportPreview

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
SAMPLES = 30  # enough to find a date whose two readings differ
_QIF_DATE = re.compile(r"^D(.+)$")


@dataclass(frozen=True)
class Peek:
    header: list[str] = field(default_factory=list)  # a CSV's column names, in order
    dates: list[str] = field(default_factory=list)  # the first raw dates, as written


# The file's bytes; the preview (or why there is none); a mapping to start from; the peek.
Outcome = tuple[bytes, ImportPreview | ApiError, ImportMapping | None, Peek]


def read(client: ApiClient, statement: Statement, path: Path) -> Outcome:
    """Worker: the file (once), the server's preview of it, and what the wizard peeks."""
    body = statement.data or path.read_bytes()
    try:
        shown = client.preview_import(replace(statement, data=body))
    except ApiError as error:
        found = undetected(body) if error.status == 422 else None
        if found is None:
            raise
        return body, error, *found  # no columns found: the user names them
    return body, shown, None, peek(body, shown.format, shown.mapping)


def peek(data: bytes, fmt: str, mapping: ImportMapping | None) -> Peek:
    """The header and first dates of ``data``; empty where they cannot be read."""
    try:
        if fmt == "qif":
            return Peek(dates=_qif_dates(data))
        if fmt == "csv" and mapping is not None:
            return _csv(data, mapping)
    except (LookupError, UnicodeError, csv.Error):
        pass
    return Peek()


def _csv(data: bytes, mapping: ImportMapping) -> Peek:
    text = data.decode(mapping.encoding or "utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[mapping.skip_rows or 0 :]
    reader = csv.reader(
        io.StringIO("\n".join(lines[: SAMPLES + 1])), delimiter=mapping.delimiter or ","
    )
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        return Peek()
    columns = mapping.columns
    named = columns is not None and any(
        isinstance(getattr(columns, role), str) for role in columns.__struct_fields__
    )
    header = [cell.strip() for cell in rows[0]] if named else []
    body = rows[1:] if named else rows
    if not named:
        header = [f"Column {index + 1}" for index in range(max(len(row) for row in rows))]
    where = columns.date if columns is not None else None
    index = header.index(where) if isinstance(where, str) and where in header else where
    dates = [row[index].strip() for row in body if isinstance(index, int) and index < len(row)]
    return Peek(header, [value for value in dates if value])


def _qif_dates(data: bytes) -> list[str]:
    text = data.decode("utf-8", errors="replace")
    found = (_QIF_DATE.match(line.strip()) for line in text.splitlines())
    return [match.group(1).strip() for match in found if match][:SAMPLES]


def read_as(raw: str, option: str) -> date | None:
    """``raw`` read with one of an ambiguity's options (a strptime format, DMY or MDY)."""
    if option in ("DMY", "MDY"):
        parts = [int(part) for part in re.findall(r"\d+", raw)]
        if len(parts) != 3:
            return None
        first, second, year = parts
        if year < 100:  # two digits: strptime's %y pivot: 69 to 99 are 19xx
            year += 1900 if year >= 69 else 2000
        day, month = (first, second) if option == "DMY" else (second, first)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    try:
        return datetime.strptime(raw, option).date()  # noqa: DTZ007  (a day, no time)
    except ValueError:
        return None


def spelled(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def telling_dates(dates: list[str], options: list[str], wanted: int = 2) -> list[str]:
    """The first dates that the options read differently: they show what is at stake."""
    telling = []
    for raw in dates:
        readings = {read_as(raw, option) for option in options}
        if None not in readings and len(readings) == len(options):
            telling.append(raw)
        if len(telling) == wanted:
            break
    return telling or dates[:1]


def describe(option: str, dates: list[str], options: list[str]) -> str:
    """``Day first:`` then ``01/02/2025 = 1 February 2025`` and the next, a line each."""
    shown = []
    for raw in telling_dates(dates, options):
        reading = read_as(raw, option)
        shown.append(f"{raw} = {spelled(reading)}" if reading else f"{raw} cannot be read")
    order = _ORDER.get(option) or _order(option)
    return "\n".join([f"{order}:", *shown])


_ORDER = {"DMY": "Day first", "MDY": "Month first"}


def _order(strptime: str) -> str:
    day, month = strptime.find("%d"), strptime.find("%m")
    if day >= 0 and month >= 0:
        return "Day first" if day < month else "Month first"
    return strptime


def undetected(data: bytes) -> tuple[ImportMapping, Peek] | None:
    """A CSV whose columns the server could not find: its header, for the user to map.

    ``None`` for what is not delimited text (a broken OFX stays the server's words).
    """
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data[:65536].decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        return None
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in row)]
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    header = [cell.strip() for cell in rows[0]]
    encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    mapping = ImportMapping(encoding=encoding, delimiter=dialect.delimiter, skip_rows=0)  # type: ignore[arg-type]
    return mapping, Peek(header=header)
