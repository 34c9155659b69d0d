"""Cross rates and conversions: hand-worked examples, and a property against Fraction."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.currencies.arithmetic import RATE_DIGITS, convert, cross_rate, rate_text


@pytest.mark.parametrize(
    ("base", "currency", "expected"),
    [
        # Worked with `bc` (scale=30), then rounded half-even to 15 significant digits.
        ("1.0390", "162.88", "0.00637892927308448"),  # 0.006378929273084479371…
        ("0.82963", "1.0390", "0.798488931665063"),  # 0.798488931665062560…
        ("1", "1.0390", "0.962463907603465"),  # 0.962463907603464870…
        ("162.88", "0.82963", "196.328483781927"),  # 196.328483781926883…
        ("1.0390", "1", "1.039"),  # exact quotients keep their own digits
        ("161.53", "161.53", "1"),
    ],
)
def test_cross_rates_worked_by_hand(base, currency, expected):
    assert rate_text(cross_rate(Decimal(base), Decimal(currency))) == expected


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("10.00", "1.039", "10.39"),
        ("0.05", "0.5", "0.02"),  # 0.025: half to even, down
        ("0.15", "0.5", "0.08"),  # 0.075: half to even, up
        ("-0.15", "0.5", "-0.08"),  # a refund rounds like its positive twin
        ("999999999.99", "196.328483781927", "196328483779.96"),  # bc: 196328483779.9637…
        ("12.34", "0.00637892927308448", "0.08"),  # bc: 0.0787159…
    ],
)
def test_conversions_worked_by_hand(amount, rate, expected):
    assert str(convert(Decimal(amount), Decimal(rate))) == expected


def test_rate_text_never_uses_exponents():
    assert rate_text(Decimal("1E+2")) == "100"
    assert rate_text(Decimal("5.9E-7")) == "0.00000059"
    assert rate_text(Decimal("1.0300")) == "1.03"


def test_rates_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        cross_rate(Decimal(0), Decimal(1))


def rounded_to_digits(value: Fraction, digits: int) -> Fraction:
    """``value`` (> 0) rounded half-even to ``digits`` significant digits, in Fractions."""
    exponent = 0  # the power of ten of the leading digit
    while value >= Fraction(10) ** (exponent + 1):
        exponent += 1
    while value < Fraction(10) ** exponent:
        exponent -= 1
    scale = Fraction(10) ** (digits - 1 - exponent)
    return Fraction(round(value * scale)) / scale  # round() of a Fraction is half-even


# Euro rates as the ECB file allows them: up to 10 digits before the point, 10 after.
euro_rates = st.builds(
    lambda units, decimals: Decimal(units).scaleb(-decimals),
    st.integers(min_value=1, max_value=10**20 - 1),
    st.integers(min_value=0, max_value=10),
).filter(lambda rate: rate < Decimal(10) ** 10)
# Amounts as the API takes them: non-zero, two decimals, |x| <= 999999999.99.
amounts = st.integers(min_value=-99_999_999_999, max_value=99_999_999_999).filter(bool)


@given(base=euro_rates, currency=euro_rates, cents=amounts)
def test_cross_rate_and_convert_match_exact_fractions(base, currency, cents):
    rate = cross_rate(base, currency)
    exact = Fraction(base) / Fraction(currency)
    assert Fraction(rate) == rounded_to_digits(exact, RATE_DIGITS)
    assert abs(Fraction(rate) - exact) <= exact / 10 ** (RATE_DIGITS - 1) / 2
    amount = Decimal(cents).scaleb(-2)
    converted = convert(amount, rate)
    assert converted.as_tuple().exponent == -2
    assert Fraction(converted) == Fraction(round(Fraction(amount) * Fraction(rate) * 100), 100)
    assert Decimal(rate_text(rate)) == rate
