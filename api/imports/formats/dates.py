"""Date formats of bank CSV files, decided from a whole column and never guessed.

A format is a ``strptime``-style name (``"%d.%m.%Y"``) from :data:`DATE_FORMATS`,
read by a compiled pattern rather than ``strptime`` (which is several times slower
and locale-bound). Only forms banks use are listed: dotted dates are day first in
every country that writes them, so ``01.02.2024`` is never ambiguous, while
``01/02/2024`` is (US month first, most others day first) — when every value of a
column reads both ways, :func:`column_formats` returns both and the caller reports
the ambiguity.
"""

from __future__ import annotations

import functools
import re
from datetime import date

from wire.validation import EARLIEST_DATE, LATEST_DATE

_PARTS = {
    "%d": r"(?P<d>\d{1,2})",
    "%m": r"(?P<m>\d{1,2})",
    "%Y": r"(?P<Y>\d{4})",
    "%y": r"(?P<y>\d{2})",
}
DATE_FORMATS = (
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%Y/%m/%d",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%Y.%m.%d",
    "%Y%m%d",
)


def _compile(fmt: str) -> re.Pattern[str]:
    pattern = re.escape(fmt)
    for code, group in _PARTS.items():
        pattern = pattern.replace(re.escape(code), group)
    if fmt == "%Y%m%d":
        pattern = r"(?P<Y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"
    # A time after the date ("2024-01-15 10:30", "2024-01-15T10:30:00Z") is dropped.
    return re.compile(rf"^{pattern}(?:[ T].*)?$")


_COMPILED = {fmt: _compile(fmt) for fmt in DATE_FORMATS}


def two_digit_year(yy: int) -> int:
    # Statements are recent; 70-99 can only be the last century.
    return 2000 + yy if yy < 70 else 1900 + yy


# Remembered: a statement repeats its few hundred days over thousands of rows, and
# detection reads each date column under every format (a third of a 10,000-row CSV's
# read went to parsing the same dates again). Bounded, and pure: safe across threads.
@functools.lru_cache(maxsize=8192)
def parse_date(text: str, fmt: str) -> date | None:
    """The date ``text`` spells in ``fmt``, or None."""
    match = _COMPILED[fmt].match(text.strip())
    if not match:
        return None
    parts = match.groupdict()
    year = int(parts["Y"]) if parts.get("Y") else two_digit_year(int(parts["y"]))
    try:
        value = date(year, int(parts["m"]), int(parts["d"]))
    except ValueError:
        return None
    return value if EARLIEST_DATE <= value <= LATEST_DATE else None


def column_formats(values: list[str]) -> list[str]:
    """Every format under which all non-blank ``values`` are dates (in listed order)."""
    cells = [value.strip() for value in values if value.strip()]
    if not cells:
        return []
    return [fmt for fmt in DATE_FORMATS if all(parse_date(cell, fmt) for cell in cells)]


# Every listed format has this shape; a cell without it is no date under any of them,
# which saves trying twelve patterns on each description of a 10,000-row file.
_ANY_DATE = re.compile(r"^\d{1,4}[./-]?\d{1,2}[./-]?\d{2,4}(?:[ T].*)?$")


def looks_like_date(text: str) -> bool:
    text = text.strip()
    return bool(_ANY_DATE.match(text)) and _reads_as_date(text)


@functools.lru_cache(maxsize=8192)
def _reads_as_date(text: str) -> bool:
    return any(parse_date(text, fmt) for fmt in DATE_FORMATS)


# Words some banks put in the booking-date cell of an entry not yet booked.
PENDING_MARKERS = frozenset(
    {
        "pending",
        "vorgemerkt",
        "in bearbeitung",
        "en attente",
        "pendiente",
        "in afwachting",
        "authorised",
        "authorized",
    }
)


def is_pending_marker(text: str) -> bool:
    return text.strip().casefold() in PENDING_MARKERS
