"""Property: amount parsing accepts exactly the amounts API.md allows.

An amount is ASCII: an optional ``-``, digits, an optional ``.`` and at most two
digits, at most 999999999.99 in size; an expense's amount is also above zero.
``"1.500"`` is refused (in German notation it means one thousand five hundred),
as are ``1_000``, ``1e3`` and digits of other scripts, which ``Decimal`` reads.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wire.validation import FieldError, parse_amount

MAX = Decimal("999999999.99")
# The grammar, written independently of the implementation's pattern.
DIGITS = "0123456789"


def well_formed(text: str) -> bool:
    body = text[1:] if text.startswith("-") else text
    whole, _, fraction = body.partition(".")
    return (
        bool(whole)
        and all(c in DIGITS for c in whole)
        and len(fraction) <= 2
        and all(c in DIGITS for c in fraction)
    )


def expected(text: str, *, positive: bool) -> Decimal | None:
    text = text.strip()
    if not well_formed(text) or len(text) > 13:
        return None
    value = Decimal(text)
    if positive and value <= 0:
        return None
    return value if abs(value) <= MAX else None


amount_like = st.from_regex(re.compile(r"-?[0-9]{1,12}(\.[0-9]{0,3})?"), fullmatch=True)


@given(st.one_of(amount_like, st.text(max_size=16)), st.booleans())
@example("1.500", True)
@example("1_000", True)
@example("1e3", True)
@example("١٢", True)
@example("Infinity", True)
@example("NaN", False)
@example("999999999.99", True)
@example("1000000000.00", True)
@example("-999999999.99", False)
@example("0", True)
@example("0.00", False)
@example("12.", True)
@example(".5", True)
@example(" 12.50\t", True)
def test_parse_amount_accepts_exactly_the_grammar(text, positive):
    want = expected(text, positive=positive)
    if want is None:
        with pytest.raises(FieldError):
            parse_amount(text, positive=positive)
    else:
        got = parse_amount(text, positive=positive)
        assert got == want
        assert got.as_tuple().exponent == -2  # always two decimals on the wire


@pytest.mark.parametrize(
    ("raw", "value"),
    [(12, Decimal("12.00")), (Decimal("12.5"), Decimal("12.50")), ("0.01", Decimal("0.01"))],
)
def test_integers_and_client_decimals_are_read_like_their_text(raw, value):
    assert parse_amount(raw) == value


@pytest.mark.parametrize("raw", [True, Decimal("NaN"), Decimal("0.001"), Decimal("-1")])
def test_booleans_exponents_and_specials_are_refused(raw):
    with pytest.raises(FieldError):
        parse_amount(raw)


def test_the_error_names_the_field():
    with pytest.raises(FieldError) as refused:
        parse_amount("1.500", "min_amount", positive=False)
    assert refused.value.field == "min_amount"
    assert str(refused.value).endswith("- at `$.min_amount`")
