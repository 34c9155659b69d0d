"""Every input rule that is not a plain type lives here, once.

The API's JSON bodies, its query parameters, its CSV importer and the desktop
client all read amounts, ids, dates and texts through these definitions, so a
rule cannot drift between the places that apply it.

Errors are phrased like msgspec's own (``"<reason> - at `$.<field>`"``) so the API
reports every invalid field the same way, whichever layer found it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated

import msgspec

MAX_AMOUNT = Decimal("999999999.99")
CENT = Decimal("0.01")
# An amount is ASCII: an optional minus, digits, an optional point and at most two
# digits. Decimal() alone would also take "1_000", "1e3", "١٢" and "Infinity".
AMOUNT_PATTERN = r"^-?[0-9]+(\.[0-9]{0,2})?$"
_AMOUNT = re.compile(AMOUNT_PATTERN)
# "-999999999.99" is the longest text that can be valid; longer is refused unread.
_MAX_AMOUNT_TEXT = 13

# Ids are BIGSERIAL: 1 ... 2**63 - 1. A larger number is not an id of anything.
MAX_ID = 2**63 - 1
Id = Annotated[int, msgspec.Meta(ge=1, le=MAX_ID)]

COLOR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
EMAIL_PATTERN = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"
_EMAIL = re.compile(EMAIL_PATTERN)

# Text limits, in characters, shared by the JSON wire types and the CSV importer.
MAX_EMAIL = 320
MAX_DISPLAY_NAME = 100
MAX_CATEGORY_NAME = 50
MAX_DESCRIPTION = 500
MAX_NOTES = 2000
MAX_TAG = 40
MAX_TAGS = 20
# A split expense has this many parts, inclusive.
MIN_SPLITS = 2
MAX_SPLITS = 50

# asyncpg sends date.min and date.max as -infinity and infinity; nobody records an
# expense outside these years, so they are refused rather than stored as infinities.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


class FieldError(ValueError):
    """A field value breaks a rule; ``str()`` names the field msgspec-style."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{reason} - at `$.{field}`")
        self.field = field
        self.reason = reason


def parse_amount(
    raw: str | int | Decimal,
    field: str = "amount",
    *,
    positive: bool = True,
    nonzero: bool = False,
) -> Decimal:
    """The amount ``raw`` spells, with exactly two decimals, or a :class:`FieldError`.

    ``raw`` is the text of a JSON string or number, a CSV cell, a query value, or a
    ``Decimal`` built by a client. ``positive`` refuses zero and negatives (a
    budget limit); ``nonzero`` refuses only zero (an expense, where a negative
    amount is a refund); with neither only the magnitude is bounded (a filter bound).
    """
    if isinstance(raw, bool):
        raise FieldError(field, "Amount must be a number like 12.50")
    text = format(raw, "f") if isinstance(raw, Decimal) and raw.is_finite() else str(raw)
    text = text.strip()
    if len(text) > _MAX_AMOUNT_TEXT or not _AMOUNT.match(text):
        raise FieldError(field, "Amount must be a number like 12.50, with at most two decimals")
    value = Decimal(text)
    if positive and value <= 0:
        raise FieldError(field, "Amount must be greater than zero")
    if nonzero and value == 0:
        raise FieldError(field, "Amount must not be zero")
    if abs(value) > MAX_AMOUNT:
        raise FieldError(field, f"Amount must not exceed {MAX_AMOUNT}")
    return value.quantize(CENT)


def parse_expense_amount(raw: str | int | Decimal, field: str = "amount") -> Decimal:
    """An expense's amount: any sign (a negative one is a refund or credit), never zero.

    The JSON wire types and the CSV importer both read expense amounts here, so the
    rule cannot differ between them.
    """
    return parse_amount(raw, field, positive=False, nonzero=True)


def check_currency(value: str, field: str = "currency") -> str:
    """An ISO 4217 code in use (upper case): ``"ABC"`` is as wrong as ``"usd!"``."""
    # Imported here: the list is long and most callers of this module never need it.
    from wire.currencies_iso import KNOWN

    if value not in KNOWN:
        raise FieldError(field, "Must be an ISO 4217 currency code such as EUR")
    return value


def check_base_amount(value: Decimal, amount: Decimal, field: str = "base_amount") -> Decimal:
    """What the bank charged in the base currency: the sign of the amount (or zero,
    which a conversion of a tiny amount gives; the JSON API refuses it on its own)."""
    if value != 0 and (value > 0) != (amount > 0):
        raise FieldError(field, "Must have the same sign as the amount")
    return value


def check_splits(parts: list[tuple[int, Decimal]], amount: Decimal, field: str = "splits") -> None:
    """The split rule: 2-50 parts, each with the sign of the whole, summing to it exactly."""
    if not MIN_SPLITS <= len(parts) <= MAX_SPLITS:
        raise FieldError(field, f"A split has {MIN_SPLITS} to {MAX_SPLITS} parts")
    for index, (_, part) in enumerate(parts):
        if (part > 0) != (amount > 0):
            raise FieldError(f"{field}[{index}].amount", "Must have the sign of the amount")
    total = sum((part for _, part in parts), Decimal("0.00"))
    if total != amount:
        raise FieldError(
            field, f"The parts sum to {total}, not to the amount {amount}; they must be equal"
        )


MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
# Recurring expenses: how often, and how far a real payment may stray from the plan.
MAX_INTERVAL = 366
MAX_DAY_TOLERANCE = 366


def check_month(value: str, field: str = "starts") -> date:
    """``YYYY-MM`` (already matched by MONTH_PATTERN) → its first day, within the dates."""
    year = int(value[:4])
    if year < EARLIEST_DATE.year:  # also year 0, which is no date at all
        raise FieldError(
            field, f"Month must be between {EARLIEST_DATE:%Y-%m} and {LATEST_DATE:%Y-%m}"
        )
    return check_date(date(year, int(value[5:7]), 1), field)


def month_text(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def check_date(value: date, field: str = "spent_on") -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise FieldError(field, f"Date must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


def check_text(value: str, field: str, limit: int) -> str:
    """``value``, refused when it is longer than ``limit`` or holds U+0000."""
    if len(value) > limit:
        raise FieldError(field, f"Must be at most {limit} characters")
    if "\x00" in value:
        raise FieldError(field, "Must not contain the NUL character")
    return value


def check_email(value: str, field: str = "email") -> str:
    value = value.strip()
    if len(value) > MAX_EMAIL or not _EMAIL.match(value):
        raise FieldError(field, "Not a valid email address")
    return value


def check_not_blank(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise FieldError(field, "Must not be blank")
    return value


def check_tag(value: str, field: str = "name") -> str:
    """A tag name: trimmed, 1-40 characters, no comma, no NUL."""
    value = check_not_blank(value, field)
    check_text(value, field, MAX_TAG)
    if "," in value:
        raise FieldError(field, "Must not contain a comma")
    return value


def check_tags(values: list[str], field: str = "tags") -> list[str]:
    """An expense's tags: each checked, repeats (any case) collapsed to the first."""
    if len(values) > MAX_TAGS:
        raise FieldError(field, f"At most {MAX_TAGS} tags")
    seen: dict[str, str] = {}
    for index, value in enumerate(values):
        tag = check_tag(value, f"{field}[{index}]")
        seen.setdefault(tag.casefold(), tag)
    return list(seen.values())
