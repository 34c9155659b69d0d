"""Arithmetic in the amount field: ``12.50+3.20`` → ``15.70``, ``3*4.99`` → ``14.97``.

A tiny recursive-descent parser, never ``eval``: only decimal numbers, ``+ - * /``
(and the typographic minus, times and division signs), unary minus and parentheses.
Every step is an exact ``Fraction``, so ``0.1+0.2`` is exactly ``0.30`` and
``10/3*3`` is exactly ``10.00``; only the final result is rounded, half-even to
the cent, as the API rounds money.

Grammar::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/") factor)*
    factor := ("+" | "-") factor | "(" expr ")" | number
    number := digits [point digits] | point digits
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from PySide6.QtCore import QLocale

from desktop.money import parse_money

# Typographic operators people paste from a calculator or type with a compose key.
_ALIASES = str.maketrans(
    {"\u2212": "-", "\u2013": "-", "\u00d7": "*", "x": "*", "X": "*", "\u00f7": "/"}
)
_OPERATORS = set("+-*/()")
MAX_LENGTH = 200  # an amount, not a program: also bounds the recursion depth
MAX_DEPTH = 40


class ExpressionError(ValueError):
    """What is wrong with the expression, in words fit for the field's error label."""


def looks_like_expression(text: str) -> bool:
    """True when ``text`` has an operator past a leading sign (``-12`` is a number)."""
    body = text.strip().translate(_ALIASES).lstrip("+-")
    return any(ch in _OPERATORS for ch in body)


def read_amount(text: str, locale: QLocale) -> Decimal | None:
    """An amount field's value: a calculation's result, else the number typed.

    None when it is not a number; ``ExpressionError`` when a calculation is wrong.
    """
    if looks_like_expression(text):
        return evaluate(text, locale.decimalPoint())
    return parse_money(text, locale)


def evaluate(text: str, decimal_point: str = ".") -> Decimal:
    """The value of ``text`` rounded half-even to cents, or ``ExpressionError``.

    ``decimal_point`` is the locale's: with ``","`` both ``3,5`` and ``3.5`` read
    as three and a half (there are no group separators inside an expression).
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"Keep the calculation under {MAX_LENGTH} characters")
    source = text.translate(_ALIASES)
    if decimal_point != ".":
        source = source.replace(decimal_point, ".")
    tokens = _tokenize(source)
    if not tokens:
        raise ExpressionError("Enter an amount like 12.50 or 3*4.99")
    parser = _Parser(tokens)
    value = parser.expression(0)
    if parser.position != len(tokens):
        raise ExpressionError(f"Unexpected “{tokens[parser.position]}”")
    return to_cents(value)


def to_cents(value: Fraction) -> Decimal:
    """Round an exact value half-even to two decimals (``round`` on a Fraction is)."""
    return Decimal(round(value * 100)).scaleb(-2)


_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?|\.\d+)|([-+*/()]))")


def _tokenize(source: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    source = source.rstrip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            bad = source[position:].strip()[:1]
            allowed = "numbers, + \u2212 \u00d7 \u00f7 and ( )"
            raise ExpressionError(f"“{bad}” is not allowed: use {allowed}")
        tokens.append(match.group(1) or match.group(2))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.position = tokens, 0

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> str:
        token = self._peek()
        if token is None:
            raise ExpressionError("The calculation ends too early")
        self.position += 1
        return token

    def expression(self, depth: int) -> Fraction:
        value = self.term(depth)
        while (op := self._peek()) in ("+", "-"):
            self.position += 1
            right = self.term(depth)
            value = value + right if op == "+" else value - right
        return value

    def term(self, depth: int) -> Fraction:
        value = self.factor(depth)
        while (op := self._peek()) in ("*", "/"):
            self.position += 1
            right = self.factor(depth)
            if op == "*":
                value *= right
            elif right == 0:
                raise ExpressionError("Cannot divide by zero")
            else:
                value /= right
        return value

    def factor(self, depth: int) -> Fraction:
        if depth > MAX_DEPTH:
            raise ExpressionError("Too many nested parentheses or signs")
        symbol = self._take()
        if symbol in ("+", "-"):
            value = self.factor(depth + 1)
            return -value if symbol == "-" else value
        if symbol == "(":
            value = self.expression(depth + 1)
            if self._peek() != ")":
                raise ExpressionError("A “(” is not closed")
            self.position += 1
            return value
        if symbol in _OPERATORS:
            raise ExpressionError(f"Unexpected “{symbol}”")
        return Fraction(symbol)  # exact: Fraction("4.99") == 499/100
