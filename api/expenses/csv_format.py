"""The CSV format of export and import (API.md): header, quoting, formula escaping."""

from __future__ import annotations

HEADER = ("date", "category", "description", "amount", "notes")
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_cell(text: str) -> str:
    """Prefix a formula-looking cell with ``'`` so spreadsheets show it as text."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell`: every export imports back to exactly the same text."""
    if len(text) >= 2 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text
