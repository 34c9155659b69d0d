"""Header clicks sort on the server: every column, both ways, across page boundaries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

import desktop.client.expenses
from desktop.models.expenses import AMOUNT, CATEGORY, DATE, DESCRIPTION, NOTES, SORT_KEYS
from desktop.views.main_sync import load_sort
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, import_rows, today


def loaded_ids(qtbot, window) -> list[int]:
    model = window.expenses.model
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    return [model.expense(row).id for row in range(model.rowCount())]


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 7, then 11: 40 rows cross five page boundaries."""
    monkeypatch.setattr(desktop.client.expenses, "FIRST_PAGE_SIZE", 7)
    monkeypatch.setattr(desktop.client.expenses, "PAGE_SIZE", 11)


@pytest.fixture
def tied_rows(qtbot, signed_in, client, account):
    """40 expenses with many ties in every column, so the id tie-break is exercised."""
    categories = ("Food", "Transport", "Health")
    rows = [
        (today() - timedelta(days=i % 4), categories[i % 3], f"Item {i % 5}", f"{i % 6 + 1}.50")
        for i in range(40)
    ]
    import_rows(client, account, rows)


def shown_order(header) -> tuple[int, str]:
    ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    return header.sortIndicatorSection(), "asc" if ascending else "desc"


@pytest.mark.parametrize("column", sorted(SORT_KEYS))
def test_each_column_sorts_both_ways_like_the_server_across_pages(
    qtbot, signed_in, client, account, small_pages, tied_rows, column
):
    key = SORT_KEYS[column]
    header = signed_in.expenses.table.horizontalHeader()
    seen = set()
    for _click in range(2):
        header.sectionClicked.emit(column)  # what a click on the header does
        sort_key, order = signed_in.expenses.model.sort
        assert sort_key == key
        seen.add(order)
        server = [e["id"] for e in all_expenses(client, account, sort=key, order=order)]
        assert loaded_ids(qtbot, signed_in) == server
        assert shown_order(header) == (column, order)
    assert seen == {"asc", "desc"}


def test_the_notes_column_is_not_sortable_and_keeps_the_order(qtbot, signed_in, tied_rows):
    header = signed_in.expenses.table.horizontalHeader()
    header.sectionClicked.emit(NOTES)
    assert signed_in.expenses.model.sort == ("spent_on", "desc")
    assert shown_order(header) == (DATE, "desc")


def test_the_sort_is_kept_in_the_settings_for_the_next_start(
    qtbot, make_window, signed_in, client, account, app_settings, tied_rows, ui_thread_guard
):
    signed_in.expenses.table.horizontalHeader().sectionClicked.emit(AMOUNT)
    assert load_sort(app_settings) == ("amount", "desc")
    idle(qtbot, signed_in)
    again = make_window()
    assert again.expenses.model.sort == ("amount", "desc")
    assert shown_order(again.expenses.table.horizontalHeader()) == (AMOUNT, "desc")
    with ui_thread_guard.test_calls():
        again.session.sign_in(account.email, account.password)
    again.start()
    qtbot.waitUntil(lambda: again.summary is not None, timeout=WAIT_MS)
    server = [e["id"] for e in all_expenses(client, account, sort="amount", order="desc")]
    assert loaded_ids(qtbot, again) == server


def test_text_columns_start_at_a(qtbot, signed_in, tied_rows):
    header = signed_in.expenses.table.horizontalHeader()
    for column in (CATEGORY, DESCRIPTION):
        header.sectionClicked.emit(column)
        assert signed_in.expenses.model.sort == (SORT_KEYS[column], "asc")
