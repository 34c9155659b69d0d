"""Property: amount parsing accepts exactly the amounts API.md allows.

Valid means finite, greater than zero, at most 999999999.99, and a whole number of
cents. Trailing zeros do not count as fractional digits (``"1.500"`` is 1.50):
the rule is about the value, which is what reaches the NUMERIC(12,2) column.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wire.validation import FieldError, check_amount, parse_amount

MAX = Decimal("999999999.99")


def allowed(value: Decimal) -> bool:
    return value.is_finite() and Decimal(0) < value <= MAX and value * 100 == int(value * 100)


decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=0, max_value=Decimal("1e10"), places=2),
    st.decimals(min_value=0, max_value=Decimal("1e10"), places=3),
    st.integers(-(10**12), 10**12).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.sampled_from([MAX, MAX + Decimal("0.01"), Decimal("0.01"), Decimal("0.001"), Decimal(0)]),
)


@given(decimals)
@example(Decimal("1.500"))
@example(Decimal("-0.00"))
@example(Decimal("1E+2"))
def test_check_amount_accepts_exactly_the_valid_values(value):
    if allowed(value):
        result = check_amount(value)
        assert result == value
        assert result.as_tuple().exponent == -2  # always two decimals on the wire
    else:
        with pytest.raises(FieldError):
            check_amount(value)


@given(decimals.map(str), st.sampled_from(["", " ", "\t"]))
def test_parse_amount_reads_decimal_strings_around_whitespace(text, padding):
    value = Decimal(text)
    if allowed(value):
        assert parse_amount(padding + text + padding) == value
    else:
        with pytest.raises(FieldError):
            parse_amount(padding + text + padding)


@given(st.text(max_size=30))
@example("12,50")
@example("$12.50")
@example("1e999999999999999999")
@example("sNaN")
@example("")
def test_parse_amount_never_fails_other_than_with_a_field_error(text):
    try:
        result = parse_amount(text)
    except FieldError:
        return  # the one way to refuse: a 422 naming the field, never a 500
    assert allowed(result)
    assert result == Decimal(text.strip())
