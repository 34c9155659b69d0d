"""The columns of the app's own CSV (API.md "CSV, second release"), for both sides:
the server writes and reads them; the desktop tells its own exports from bank files."""

from __future__ import annotations

# The first release's columns: an import must still accept a file with just these.
FIRST_HEADER = ("date", "category", "description", "amount", "notes")
# The second release's export header; an import matches columns by name.
HEADER = (*FIRST_HEADER, "currency", "base_amount", "tags", "split_group")
OPTIONAL_COLUMNS = HEADER[len(FIRST_HEADER) :]
# Tags share one cell, joined like this (a tag holds no comma, so it splits back).
TAG_SEPARATOR = ", "


def is_own_header(first_line: str) -> bool:
    """Does this header row name the app's own columns (any order, each once)?"""
    names = [cell.strip().strip('"').lower() for cell in first_line.lstrip("\ufeff").split(",")]
    return set(FIRST_HEADER) <= set(names) <= set(HEADER) and len(names) == len(set(names))
