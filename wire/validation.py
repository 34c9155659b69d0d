"""Field checks that msgspec's declarative constraints cannot express.

Errors are phrased like msgspec's own (``"<reason> - at `$.<field>`"``) so the API
reports every invalid field the same way, whichever layer found it.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

MAX_AMOUNT = Decimal("999999999.99")
CENT = Decimal("0.01")
COLOR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
EMAIL_PATTERN = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"
_EMAIL = re.compile(EMAIL_PATTERN)


class FieldError(ValueError):
    """A field value breaks a rule; ``str()`` names the field msgspec-style."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{reason} - at `$.{field}`")
        self.field = field
        self.reason = reason


def check_amount(value: Decimal, field: str = "amount") -> Decimal:
    """Return ``value`` with exactly two decimal places, or raise :class:`FieldError`."""
    try:
        if not value.is_finite():
            raise FieldError(field, "Amount must be a finite number")
        if value <= 0:
            raise FieldError(field, "Amount must be greater than zero")
        if value > MAX_AMOUNT:
            raise FieldError(field, f"Amount must not exceed {MAX_AMOUNT}")
        if value != value.quantize(CENT):
            raise FieldError(field, "Amount must have at most two decimal places")
        return value.quantize(CENT)
    except InvalidOperation:
        raise FieldError(field, "Amount must be a number") from None


# asyncpg sends date.min and date.max as -infinity and infinity; nobody records an
# expense outside these years, so they are refused rather than stored as infinities.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)


def check_spent_on(value: date, field: str = "spent_on") -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise FieldError(field, f"Date must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


def parse_amount(text: str, field: str = "amount") -> Decimal:
    """Parse a decimal string such as ``"12.50"`` (as in a CSV cell or a query)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise FieldError(field, "Amount must be a number like 12.50") from None
    return check_amount(value, field)


def check_email(value: str, field: str = "email") -> str:
    value = value.strip()
    if len(value) > 320 or not _EMAIL.match(value):
        raise FieldError(field, "Not a valid email address")
    return value


def check_not_blank(value: str, field: str) -> str:
    value = value.strip()
    if not value:
        raise FieldError(field, "Must not be blank")
    return value
