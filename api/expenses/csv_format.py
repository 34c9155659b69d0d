"""The CSV format of export and import (API.md): header, quoting, formula escaping."""

from __future__ import annotations

# The first release's columns: an import must still accept a file with just these.
FIRST_HEADER = ("date", "category", "description", "amount", "notes")
# The second release's export header; an import matches columns by name.
HEADER = (*FIRST_HEADER, "currency", "base_amount", "tags", "split_group")
OPTIONAL_COLUMNS = HEADER[len(FIRST_HEADER) :]
# Tags share one cell, joined like this (a tag holds no comma, so it splits back).
TAG_SEPARATOR = ", "
# Spreadsheets run a cell that starts with one of these as a formula; the export
# prefixes such text cells with ' (in its SQL), the import removes that prefix.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def unescape_cell(text: str) -> str:
    """Undo the export's guard (``api.expenses.export``): an export imports back unchanged."""
    if len(text) >= 2 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text
