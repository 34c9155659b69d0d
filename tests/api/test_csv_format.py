import pytest

from api.expenses.csv_format import escape_cell, unescape_cell


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "'x", "''", "'"])
def test_formula_like_cells_are_escaped_and_restored(text):
    escaped = escape_cell(text)
    assert escaped == "'" + text
    assert unescape_cell(escaped) == text


@pytest.mark.parametrize("text", ["", "plain", "a=b", "1-2", "'plain"])
def test_other_cells_pass_through_unchanged_on_import(text):
    assert unescape_cell(text) == text
