"""The amount field's arithmetic: exact, rounded half-even to cents, never ``eval``."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.amount_expression import ExpressionError, evaluate, looks_like_expression


class DivisionByZero(Exception):
    pass


def cents_half_even(value: Fraction) -> Decimal:
    """Rounded by hand (floor and compare the remainder), not by the code under test."""
    scaled = value * 100
    lower = math.floor(scaled)
    remainder = scaled - lower
    if remainder > Fraction(1, 2) or (remainder == Fraction(1, 2) and lower % 2 == 1):
        lower += 1
    return Decimal(lower) / Decimal(100)


numbers = st.decimals(
    min_value=0, max_value=Decimal("99999.999"), places=3, allow_nan=False, allow_infinity=False
)
OPERATORS = {"+": ("+",), "-": ("-", "\u2212"), "*": ("*", "\u00d7"), "/": ("/", "\u00f7")}


def leaves() -> st.SearchStrategy[tuple[str, Fraction]]:
    return numbers.map(lambda d: (format(d, "f"), Fraction(d)))


def combine(children: st.SearchStrategy) -> st.SearchStrategy:
    def build(draw_op: str, spelling: str, left: tuple, right: tuple, paren: bool, neg: bool):
        def value() -> Fraction:
            a, b = left[1](), right[1]()
            if draw_op == "/":
                if b == 0:
                    raise DivisionByZero
                return a / b
            return {"+": a + b, "-": a - b, "*": a * b}[draw_op]

        text = f"{left[0]} {spelling} {right[0]}"
        # Without parentheses precedence would change the meaning, so a compound child
        # is always wrapped; the optional outer pair and sign exercise the grammar.
        if paren or neg:
            text = f"({text})"
        if neg:
            return (f"-{text}", lambda: -value())
        return (text, value)

    op = st.sampled_from(sorted(OPERATORS))
    return op.flatmap(
        lambda o: st.builds(
            build,
            st.just(o),
            st.sampled_from(OPERATORS[o]),
            children.map(_wrap),
            children.map(_wrap),
            st.booleans(),
            st.booleans(),
        )
    )


def _wrap(node: tuple) -> tuple:
    text, value = node
    if callable(value):
        return (f"({text})", value)
    return (text, lambda v=value: v)


expressions = st.recursive(leaves(), combine, max_leaves=8)


@settings(max_examples=400, deadline=None)
@given(expressions)
def test_any_expression_gives_the_exact_decimal_or_a_clear_error(node):
    text, value = _wrap(node)
    try:
        expected = cents_half_even(value())
    except DivisionByZero:
        with pytest.raises(ExpressionError, match="divide by zero"):
            evaluate(text)
        return
    assert evaluate(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.50+3.20", "15.70"),
        ("3*4.99", "14.97"),
        ("0.1+0.2", "0.30"),
        ("10/3*3", "10.00"),
        ("2 \u00d7 (3 \u2212 0.5) \u00f7 4", "1.25"),
        ("0.125", "0.12"),  # half-even: to the even cent
        ("0.135", "0.14"),
        ("-(1+2)", "-3.00"),
        ("1/3", "0.33"),
        ("5-12.50", "-7.50"),  # a refund worked out in the field stays negative
        ("\u22122*4.25", "-8.50"),
    ],
)
def test_examples(text, expected):
    assert evaluate(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["-12.50", "\u221212.50", "+12.50"])
def test_a_signed_number_is_not_a_calculation(text):
    assert not looks_like_expression(text)


def test_a_decimal_comma_locale_reads_commas_as_points():
    assert evaluate("12,50+3,20", decimal_point=",") == Decimal("15.70")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1/0", "divide by zero"),
        ("1/(2-2)", "divide by zero"),
        ("2**3", "Unexpected"),
        ("(1+2", "not closed"),
        ("1+", "ends too early"),
        ("__import__('os')", "not allowed"),
        ("1e9", "not allowed"),
        ("", "Enter an amount"),
        ("1+" * 150 + "1", "under 200"),
        ("(" * 45 + "1" + ")" * 45, "nested"),
    ],
)
def test_anything_else_is_a_clear_error(text, message):
    with pytest.raises(ExpressionError, match=message):
        evaluate(text)


def test_a_plain_or_negative_number_is_not_an_expression():
    assert not looks_like_expression("-12.50")
    assert not looks_like_expression("1,234.50")
    assert looks_like_expression("12.50+3")
    assert looks_like_expression("3\u00d74")
