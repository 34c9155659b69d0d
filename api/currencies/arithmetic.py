"""How rates and amounts are written; the arithmetic itself is the database's.

Cross rates (``cross_rate``: the quotient of two euro rates rounded half-even to
15 significant digits) and conversions (``convert_amount``: amount times rate,
exact, rounded half-even to the cent, once) are SQL functions of migration
m0015, because the conversion trigger applies them on every write; a Python copy
here would be a second definition to drift. tests/api/test_rates_arithmetic.py
checks them against exact fractions.
"""

from __future__ import annotations

from decimal import Decimal

EUR = "EUR"


def rate_text(rate: Decimal) -> str:
    """The rate as plain decimal text (never ``1E+2``), without trailing zeros."""
    text = format(rate, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
