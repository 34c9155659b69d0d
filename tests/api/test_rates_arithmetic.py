"""The database's cross rates and conversions (m0015): worked examples, and a
property against exact fractions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.currencies.arithmetic import rate_text
from tests.support import run_sql

RATE_DIGITS = 15


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
def test_cross_rates_worked_by_hand(database_url, base, currency, expected):
    rows = run_sql(database_url, "SELECT cross_rate($1, $2) AS r", Decimal(base), Decimal(currency))
    assert rate_text(rows[0]["r"]) == expected


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
def test_conversions_worked_by_hand(database_url, amount, rate, expected):
    rows = run_sql(
        database_url,
        "SELECT convert_amount($1, $2)::numeric(20, 2) AS c",
        Decimal(amount),
        Decimal(rate),
    )
    assert str(rows[0]["c"]) == expected


def test_rate_text_never_uses_exponents():
    assert rate_text(Decimal("1E+2")) == "100"
    assert rate_text(Decimal("5.9E-7")) == "0.00000059"
    assert rate_text(Decimal("1.0300")) == "1.03"


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
cases = st.lists(st.tuples(euro_rates, euro_rates, amounts), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(cases=cases)
def test_cross_rate_and_convert_match_exact_fractions(database_url, cases):
    # One round trip for a batch: the functions run on the server, row by row.
    rows = run_sql(
        database_url,
        "SELECT cross_rate(b, c) AS rate, convert_amount(a, cross_rate(b, c)) AS converted "
        "FROM unnest($1::numeric[], $2::numeric[], $3::numeric[]) WITH ORDINALITY AS t(b, c, a, n) "
        "ORDER BY n",
        [base for base, _, _ in cases],
        [currency for _, currency, _ in cases],
        [Decimal(cents).scaleb(-2) for _, _, cents in cases],
    )
    for (base, currency, cents), row in zip(cases, rows, strict=True):
        rate, converted = row["rate"], row["converted"]
        exact = Fraction(base) / Fraction(currency)
        assert Fraction(rate) == rounded_to_digits(exact, RATE_DIGITS)
        amount = Fraction(cents, 100)
        assert Fraction(converted) == Fraction(round(amount * Fraction(rate) * 100), 100)
        assert Decimal(rate_text(rate)) == rate
