"""The one place that turns euro reference rates into cross rates and amounts.

Precision and rounding, stated once:

- :func:`cross_rate` divides two euro rates and rounds the quotient half-even to
  :data:`RATE_DIGITS` (15) significant digits, the ``rate`` every client sees.
  Python's decimal division is correctly rounded, so the result is the exact
  quotient rounded once; a quotient that has fewer digits (``1.0321 / 1``) is
  exact.
- :func:`convert` multiplies an amount by such a rate *exactly* (the product of a
  13-digit amount and a 15-digit rate has at most 28 digits; the context below
  holds 60 and traps any inexact step) and rounds the product half-even to the
  cent, once. A base amount is therefore reproducible from the ``amount`` and
  ``rate`` a client was shown.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, Inexact

RATE_DIGITS = 15
CENT = Decimal("0.01")
EUR = "EUR"
# The euro's own rate against the euro; the ECB publishes no row for it.
EUR_RATE = Decimal(1)

_RATE_CONTEXT = Context(prec=RATE_DIGITS, rounding=ROUND_HALF_EVEN)
# Wide enough for any product of an amount and a rate, and loud if it ever is not.
_EXACT_CONTEXT = Context(prec=60, rounding=ROUND_HALF_EVEN, traps=[Inexact])
_ROUNDING_CONTEXT = Context(prec=60, rounding=ROUND_HALF_EVEN)


def cross_rate(base_eur_rate: Decimal, currency_eur_rate: Decimal) -> Decimal:
    """Units of the base currency per 1 unit of the other currency.

    Both arguments are euro rates (units per 1 EUR): one EUR buys
    ``base_eur_rate`` base units and ``currency_eur_rate`` units of the currency,
    so one unit of the currency is worth ``base_eur_rate / currency_eur_rate``
    base units, rounded half-even to 15 significant digits.
    """
    if base_eur_rate <= 0 or currency_eur_rate <= 0:
        raise ValueError("euro rates are positive")
    return _RATE_CONTEXT.divide(base_eur_rate, currency_eur_rate)


def convert(amount: Decimal, rate: Decimal) -> Decimal:
    """``amount * rate``, computed exactly, rounded half-even to the cent."""
    product = _EXACT_CONTEXT.multiply(amount, rate)
    return product.quantize(CENT, rounding=ROUND_HALF_EVEN, context=_ROUNDING_CONTEXT)


def rate_text(rate: Decimal) -> str:
    """The rate as plain decimal text (never ``1E+2``), without trailing zeros."""
    text = format(rate, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
