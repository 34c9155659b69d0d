"""The CSV format of export and import (API.md): header, quoting, formula escaping."""

from __future__ import annotations

from wire.expenses_csv import FIRST_HEADER, HEADER, OPTIONAL_COLUMNS, TAG_SEPARATOR

__all__ = ["FIRST_HEADER", "HEADER", "OPTIONAL_COLUMNS", "TAG_SEPARATOR", "unescape_cell"]

# Spreadsheets run a cell that starts with one of these as a formula; the export
# prefixes such text cells with ' (in its SQL), the import removes that prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def unescape_cell(text: str) -> str:
    """Undo the export's guard (``api.expenses.export``): an export imports back unchanged."""
    if len(text) >= 2 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text
