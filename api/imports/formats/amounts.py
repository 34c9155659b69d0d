"""Bank amounts as ``Decimal``: separators decided from a whole column, then one rule.

Banks write ``1.234,56``, ``1,234.56``, ``1 234,56``, ``1'234.56``, ``-12,50``,
``12,50-`` and ``(12.50)``. Each text is normalised to ``-1234.56`` and then read by
:func:`wire.validation.parse_amount`, the one amount rule of the tree (at most two
decimals, bounded), so an imported amount obeys exactly what the API accepts.

``1.000`` alone cannot say whether it is one or a thousand: the separators are
decided from every value of the column (:func:`detect_separators`), and a column
in which no value settles it is reported as ambiguous rather than read as 1.
"""

from __future__ import annotations

import re
from decimal import Decimal

from wire.validation import FieldError, parse_amount

THOUSANDS = ("", ".", ",", " ", "'")
# Currency symbols and codes some banks print in the amount cell ("€ 12,50", "12.50 USD").
_DECORATION = re.compile(r"^[^\d()+\-.,]*|[^\d()+\-.,]*$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")
# Shapes of an amount once decorations are gone: digits with at most one kind of
# grouping and at most one decimal mark, an optional sign in front, behind, or ().
AMOUNT_SHAPE = re.compile(
    r"^[+\-(]?\d{1,3}(?:([.,' ])\d{3})*(?:[.,]\d+)?[)\-]?$|^[+\-(]?\d+(?:[.,]\d+)?[)\-]?$"
)


def _clean(text: str) -> str:
    return _DECORATION.sub("", text.strip().replace("\u2212", "-"))


def looks_like_amount(text: str) -> bool:
    return bool(AMOUNT_SHAPE.match(_SPACES.sub(" ", _clean(text))))


def _evidence(text: str) -> str | None:
    """The decimal mark ``text`` proves ("." or ","), or None when it proves nothing."""
    digits = _clean(text).strip("+-()")
    marks = [(i, c) for i, c in enumerate(digits) if c in ".,"]
    if not marks:
        return None
    last_pos, last = marks[-1]
    if any(c != last for _, c in marks):
        return last  # both kinds: the last one is the decimal mark (1.234,56)
    if len(marks) > 1:
        return "," if last == "." else "."  # repeated: grouping (1.234.567)
    if len(digits) - last_pos - 1 != 3:
        return last  # 12,5 or 12.50: a decimal mark
    return None  # 1.000 or 1,000: either


def detect_separators(values: list[str]) -> tuple[str, str, bool]:
    """(decimal, thousands, ambiguous) for a column of amount texts."""
    decimal = None
    for value in values:
        decimal = _evidence(value)
        if decimal:
            break
    grouped = any(re.search(r"\d[' \u00a0\u202f]\d{3}", value) for value in values)
    if decimal is None:
        has_mark = any(c in value for value in values for c in ".,")
        thousands = " " if grouped else ""
        # "." is only a default; with "1.000" in the column it must be asked for.
        return ".", thousands, has_mark
    other = "," if decimal == "." else "."
    if any(other in _clean(value) for value in values):
        thousands = other
    elif grouped:
        thousands = "'" if any("'" in value for value in values) else " "
    else:
        thousands = ""
    return decimal, thousands, False


def parse_bank_amount(text: str, decimal: str = ".", thousands: str = "") -> Decimal:
    """The signed amount ``text`` spells under the separators, or a :class:`FieldError`."""
    raw = _SPACES.sub(" ", _clean(text)) if thousands == " " else _SPACES.sub("", _clean(text))
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1]
    elif raw.endswith("-"):
        negative, raw = True, raw[:-1]
    if raw.startswith("+"):
        raw = raw[1:]
    elif raw.startswith("-") and not negative:
        negative, raw = True, raw[1:]
    if thousands:
        if not re.fullmatch(
            rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})*(?:{re.escape(decimal)}\d+)?|\d+(?:{re.escape(decimal)}\d+)?",
            raw,
        ):
            raise FieldError("amount", "Amount does not match the file's separators")
        raw = raw.replace(thousands, "")
    elif (decimal == "," and "." in raw) or (decimal == "." and "," in raw):
        raise FieldError("amount", "Amount does not match the file's separators")
    if decimal == ",":
        raw = raw.replace(",", ".")
    # Some banks write four decimals (12.5000); zeros past the cent lose nothing.
    if "." in raw:
        whole, _, cents = raw.partition(".")
        raw = f"{whole}.{cents.rstrip('0')[:3] if len(cents) > 2 else cents}".rstrip(".")
    value = parse_amount(("-" if negative else "") + raw, positive=False)
    return value
