"""The European Central Bank's euro reference rates files: bytes in, rates out.

Two CSV layouts, each plain or zipped (one CSV inside):

- ``eurofxref.csv``, the latest working day: a header ``Date, USD, JPY, …,`` and
  one row ``03 January 2025, 1.0321, 161.53, …,`` (spaces after commas, a
  trailing comma);
- ``eurofxref-hist.csv``, every day since 1999: the same header, ISO dates
  (``2025-01-03``), newest first, ``N/A`` where a currency was not quoted.

A cell is units of the currency per 1 EUR. Nothing here touches the database or
the network; size limits make a hostile file (a zip bomb included) fail early.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from api.currencies.arithmetic import EUR
from api.currencies.tables import RATE_DECIMALS, RATE_INTEGER_DIGITS
from wire.validation import CURRENCY_PATTERN, EARLIEST_DATE, LATEST_DATE

# The history since 1999 is ~2.5 MB of CSV and grows ~100 kB a year; anything
# much larger is not a file the ECB published.
MAX_CSV_BYTES = 32 * 1024 * 1024
MAX_ZIP_MEMBERS = 8
# Every zip archive starts with "PK" (a local file header, or the end record of an
# empty one); no rates CSV does, its header starts with `Date`.
_ZIP_MAGIC = b"PK"
_CURRENCY = re.compile(CURRENCY_PATTERN)
_RATE = re.compile(rf"^[0-9]{{1,{RATE_INTEGER_DIGITS}}}(\.[0-9]{{1,{RATE_DECIMALS}}})?$", re.ASCII)
_ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$", re.ASCII)
_LONG_DATE = re.compile(r"^([0-9]{1,2}) ([A-Za-z]+) ([0-9]{4})$", re.ASCII)
# English month names, spelled out so the parse never depends on the locale.
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MISSING = {"", "N/A"}


class RatesFileError(ValueError):
    """The bytes are not a euro reference rates file we can trust; says where."""


@dataclass(frozen=True, slots=True)
class PublishedRate:
    currency: str
    day: date
    eur_rate: Decimal


def read_rates(data: bytes) -> list[PublishedRate]:
    """Every rate in an ECB file (plain or zipped), oldest day first."""
    if len(data) > MAX_CSV_BYTES:
        raise RatesFileError(f"the file is larger than {MAX_CSV_BYTES} bytes")
    if data.startswith(_ZIP_MAGIC):
        data = _unzip(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RatesFileError("the file is not UTF-8 text") from None
    return _parse_csv(text)


def _unzip(data: bytes) -> bytes:
    """The one CSV inside, read at most ``MAX_CSV_BYTES + 1`` bytes far.

    The sizes an archive declares can lie; reading a bounded number of bytes
    from the decompressing stream is what keeps a zip bomb from filling memory.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS:
                raise RatesFileError("the archive holds too many files")
            csvs = [info for info in members if info.filename.lower().endswith(".csv")]
            if len(csvs) != 1:
                raise RatesFileError("the archive must hold exactly one .csv file")
            with archive.open(csvs[0]) as member:
                content = member.read(MAX_CSV_BYTES + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as error:
        raise RatesFileError(f"not a readable zip archive ({error})") from None
    if len(content) > MAX_CSV_BYTES:
        raise RatesFileError(f"the archived CSV is larger than {MAX_CSV_BYTES} bytes")
    return content


def _parse_csv(text: str) -> list[PublishedRate]:
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if not header or header[0].strip() != "Date":
        raise RatesFileError("line 1: the header must start with `Date`")
    currencies = _currencies(header[1:])
    found: dict[tuple[str, date], Decimal] = {}
    for line, row in enumerate(rows, start=2):
        cells = [cell.strip() for cell in row]
        while cells and cells[-1] == "":
            cells.pop()  # the trailing comma, or a blank line
        if not cells:
            continue
        if len(cells) > len(currencies) + 1:
            raise RatesFileError(f"line {line}: more cells than the header names")
        day = _day(cells[0], line)
        for currency, cell in zip(currencies, cells[1:], strict=False):
            if cell in _MISSING:
                continue
            rate = _rate(cell, line, currency)
            if found.setdefault((currency, day), rate) != rate:
                raise RatesFileError(f"line {line}: two different {currency} rates for {day}")
    if not found:
        raise RatesFileError("the file holds no rates")
    return [
        PublishedRate(currency, day, rate)
        for (currency, day), rate in sorted(found.items(), key=lambda item: item[0][::-1])
    ]


def _currencies(names: list[str]) -> list[str]:
    currencies = [name.strip() for name in names]
    while currencies and currencies[-1] == "":
        currencies.pop()
    for code in currencies:
        if not _CURRENCY.match(code) or code == EUR:
            raise RatesFileError(f"line 1: {code!r} is not a currency code other than EUR")
    if len(set(currencies)) != len(currencies):
        raise RatesFileError("line 1: a currency is named twice")
    if not currencies:
        raise RatesFileError("line 1: the header names no currency")
    return currencies


def _day(cell: str, line: int) -> date:
    try:
        if match := _ISO_DATE.match(cell):
            day = date(int(match[1]), int(match[2]), int(match[3]))
        elif (match := _LONG_DATE.match(cell)) and match[2].lower() in _MONTHS:
            day = date(int(match[3]), _MONTHS[match[2].lower()], int(match[1]))
        else:
            raise ValueError(cell)
    except ValueError:
        raise RatesFileError(f"line {line}: {cell[:40]!r} is not a date") from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise RatesFileError(f"line {line}: {day} is outside {EARLIEST_DATE}…{LATEST_DATE}")
    return day


def _rate(cell: str, line: int, currency: str) -> Decimal:
    if not _RATE.match(cell) or (rate := Decimal(cell)) == 0:
        raise RatesFileError(
            f"line {line}: {currency} rate {cell[:40]!r} is not a positive decimal "
            f"with at most {RATE_INTEGER_DIGITS} digits before the point and "
            f"{RATE_DECIMALS} after"
        )
    return rate
