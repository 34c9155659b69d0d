"""The formula guard, pinned where it is applied (the export's SQL) and undone on import."""

import pytest

from api.expenses.csv_format import unescape_cell
from api.expenses.export import formula_guarded
from tests.support import run_sql

GUARDED = ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "'x", "''", "'"]
PLAIN = ["", "plain", "a=b", "1-2", " =not first", "é=", "x'"]


def guarded_by_sql(database_url: str, text: str) -> str:
    return run_sql(database_url, f"SELECT {formula_guarded('$1::text')}", text)[0][0]


@pytest.mark.parametrize("text", GUARDED)
def test_formula_like_cells_get_one_quote_and_import_back_unchanged(database_url, text):
    exported = guarded_by_sql(database_url, text)
    assert exported == "'" + text
    assert unescape_cell(exported) == text


@pytest.mark.parametrize("text", PLAIN)
def test_other_cells_are_exported_and_imported_unchanged(database_url, text):
    assert guarded_by_sql(database_url, text) == text
    assert unescape_cell(text) == text


def test_a_quote_before_an_ordinary_character_is_text_on_import():
    assert unescape_cell("'plain") == "'plain"
