"""Money for display: ``Decimal`` in, a locale-aware currency string out.

No babel: the API already fixed the number of decimals (two), so all we need is the
locale's separators and a symbol. Floats never touch an amount here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from PySide6.QtCore import QLocale

CENT = Decimal("0.01")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})
# Symbols users recognise at a glance; any other ISO code is shown as a suffix.
_PREFIX_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CNY": "¥",
    "INR": "₹",
    "KRW": "₩",
    "BRL": "R$",
    "CAD": "CA$",
    "AUD": "A$",
    "NZD": "NZ$",
    "MXN": "MX$",
    "ILS": "₪",
    "NGN": "₦",
    "PHP": "₱",
    "TRY": "₺",
    "UAH": "₴",
    "VND": "₫",
}


def format_money(amount: Decimal, currency: str, locale: QLocale | None = None) -> str:
    """``Decimal("-1234.5"), "USD"`` → ``"-$1,234.50"`` (separators from the locale)."""
    locale = locale or QLocale()
    digits = format_number(abs(amount), locale)
    sign = "-" if amount < 0 else ""
    symbol = _PREFIX_SYMBOLS.get(currency.upper())
    if symbol:
        return f"{sign}{symbol}{digits}"
    return f"{sign}{digits} {currency.upper()}"


def format_compact(amount: Decimal, currency: str, locale: QLocale | None = None) -> str:
    """Chart ticks: ``1500`` → ``"$1.5k"``, ``2000000`` → ``"$2M"``, ``500`` → ``"$500"``."""
    locale = locale or QLocale()
    number, unit = abs(amount), ""
    for limit, suffix in ((Decimal(1_000_000), "M"), (Decimal(1_000), "k")):
        if number >= limit:
            number, unit = (number / limit).quantize(Decimal("0.1")), suffix
            break
    digits = format_number(number, locale)
    point = locale.decimalPoint()
    if digits.endswith(f"{point}00"):
        digits = digits.removesuffix(f"{point}00")  # whole numbers: no decimals at all
    elif unit:
        digits = digits.removesuffix("0")  # "1.50" → "1.5" (one decimal after k/M)
    sign = "-" if amount < 0 else ""
    symbol = _PREFIX_SYMBOLS.get(currency.upper())
    if symbol:
        return f"{sign}{symbol}{digits}{unit}"
    return f"{sign}{digits}{unit} {currency.upper()}"


def format_number(amount: Decimal, locale: QLocale | None = None) -> str:
    """Two decimals with the locale's group separator and decimal point."""
    locale = locale or QLocale()
    text = f"{amount.quantize(CENT):,.2f}"
    # Placeholders first, so a locale that swaps "," and "." does not clobber itself.
    return (
        text.replace(",", "\0")
        .replace(".", locale.decimalPoint())
        .replace("\0", locale.groupSeparator())
    )


def parse_money(text: str, locale: QLocale | None = None) -> Decimal | None:
    """What the user typed (``"1,234.50"``, ``"$12"``, ``"12,5"`` in de_DE) → Decimal.

    Returns None when it is not a number; range and precision are the API's to judge,
    so the user sees the server's own message for those.
    """
    locale = locale or QLocale()
    # A refund is typed negative; the typographic minus and the en dash (pasted from
    # a calculator or a bank statement) must not be dropped as "not a digit", which
    # would silently turn the refund into a positive expense.
    text = text.translate(_MINUS_SIGNS)
    cleaned = "".join(ch for ch in text.strip() if ch.isdigit() or ch in ".,-")
    if not cleaned:
        return None
    point, group = locale.decimalPoint(), locale.groupSeparator()
    if point == "," and "." not in cleaned.replace(group, ""):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif point == ",":
        cleaned = cleaned.replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount`` in the base currency at ``rate``, to the cent (half-even, as the server)."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def format_rate(rate: Decimal, locale: QLocale | None = None, digits: int = 6) -> str:
    """A rate people can read: ``1.25236551233682`` → ``"1.25237"``; never ``3.9E-5``."""
    locale = locale or QLocale()
    if not rate.is_finite() or rate == 0:
        return str(rate)
    # ``digits`` significant digits, but whole units (and cents) are never rounded away.
    exponent = min(rate.adjusted() - digits + 1, -2)
    rounded = rate.quantize(Decimal(1).scaleb(exponent), ROUND_HALF_EVEN)
    text = format(rounded, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", locale.decimalPoint())
