"""The expenses view against the real API: add, edit, delete, filters, paging, totals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt

from desktop.client import FIRST_PAGE_SIZE, PAGE_SIZE
from desktop.filters import ExpenseQuery, Preset
from desktop.models.expenses import AMOUNT, DESCRIPTION
from desktop.views import expenses_view
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, category_id, import_rows, today


def loaded_ids(qtbot, window) -> list[int]:
    """Page through to the end the way scrolling does, then list the row ids."""
    model = window.expenses.model
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    return [model.expense(row).id for row in range(model.rowCount())]


def closed(dialog) -> bool:
    """Closed dialogs are deleted (deleteLater), so a dead wrapper means closed."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def open_dialog(qtbot, window, action):
    action.trigger()
    qtbot.waitUntil(lambda: window.expenses.dialog is not None, timeout=WAIT_MS)
    dialog = window.expenses.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def test_add_an_expense_through_the_dialog(qtbot, signed_in, client, account):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    qtbot.keyClicks(dialog.amount, "1234.5")
    dialog.category.setCurrentIndex(dialog.category.findText("Health"))
    qtbot.keyClicks(dialog.description, "Dentist")
    qtbot.keyClicks(dialog.notes, "Crown")
    with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, signed_in)
    assert closed(dialog)
    model = signed_in.expenses.model
    assert model.rowCount() == 1
    assert model.data(model.index(0, DESCRIPTION)) == "Dentist"
    assert model.data(model.index(0, AMOUNT)) == "$1,234.50"
    [saved] = all_expenses(client, account)
    assert (saved["amount"], saved["category"], saved["notes"]) == ("1234.50", "Health", "Crown")
    assert signed_in.count_label.text() == "1 expense"


def test_the_apis_field_errors_show_inline_and_keep_the_input(qtbot, signed_in, client, account):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    qtbot.keyClicks(dialog.amount, "0.001")
    qtbot.keyClicks(dialog.description, "Too precise")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message("amount") != "", timeout=WAIT_MS)
    assert "decimal" in dialog.errors.message("amount").lower()
    assert dialog.isVisible()
    assert (dialog.amount.text(), dialog.description.text()) == ("0.001", "Too precise")
    assert all_expenses(client, account) == []


def test_edit_with_enter_and_double_click(qtbot, signed_in, client, account):
    import_rows(client, account, [(today(), "Food", "Lunch", "12.00")])
    signed_in.refresh_action.trigger()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 1, timeout=WAIT_MS)
    table = signed_in.expenses.table
    signed_in.expenses.select_row(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = signed_in.expenses.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=WAIT_MS)
    assert dialog.description.text() == "Lunch"
    dialog.description.setText("Team lunch")
    dialog.amount.setText("15.25")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    model = signed_in.expenses.model
    assert model.data(model.index(0, DESCRIPTION)) == "Team lunch"
    assert all_expenses(client, account)[0]["amount"] == "15.25"
    # Double-click opens the same dialog.
    rect = table.visualRect(model.index(0, DESCRIPTION))
    # A view only takes a double click on the row the press landed on: press first.
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: signed_in.expenses.dialog is not dialog, timeout=WAIT_MS)
    assert signed_in.expenses.dialog.description.text() == "Team lunch"
    signed_in.expenses.dialog.reject()


def test_delete_several_after_confirmation(qtbot, signed_in, client, account, monkeypatch):
    day = today()
    import_rows(client, account, [(day, "Food", f"Item {i}", f"{i}.00") for i in range(1, 5)])
    signed_in.refresh_action.trigger()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 4, timeout=WAIT_MS)
    idle(qtbot, signed_in)  # the refresh's own summary must not pass for the delete's
    asked = []
    monkeypatch.setattr(expenses_view, "confirm_delete", lambda _p, n: asked.append(n) or True)
    table = signed_in.expenses.table
    table.selectRow(0)
    table.selectionModel().select(
        signed_in.expenses.model.index(2, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    table.setFocus()
    with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
        qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert asked == [2]
    assert signed_in.expenses.model.rowCount() == 2
    assert len(all_expenses(client, account)) == 2
    assert signed_in.count_label.text() == "2 expenses"


def test_declining_the_confirmation_deletes_nothing(qtbot, signed_in, client, account, monkeypatch):
    import_rows(client, account, [(today(), "Food", "Keep me", "3.00")])
    signed_in.refresh_action.trigger()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 1, timeout=WAIT_MS)
    monkeypatch.setattr(expenses_view, "confirm_delete", lambda _p, _n: False)
    signed_in.expenses.select_row(0)
    signed_in.delete_action.trigger()
    idle(qtbot, signed_in)
    assert len(all_expenses(client, account)) == 1


@pytest.fixture
def spread(client, account):
    """Expenses across every preset's range, several categories and words."""
    now = today()
    first = now.replace(day=1)
    rows = [
        (now, "Food", "Groceries this month", "10.00"),
        (first, "Bills", "Rent this month", "1000.00", "paid early"),
        (first - timedelta(days=1), "Food", "Groceries last month", "20.00"),
        ((first - timedelta(days=40)).replace(day=15), "Travel", "Train two months ago", "30.00"),
        (now.replace(month=1, day=1), "Health", "New year checkup", "40.00"),
        (now.replace(year=now.year - 1, month=6, day=10), "Travel", "Summer flight", "500.00"),
        (now.replace(year=now.year - 3, month=3, day=3), "Other", "Ancient history", "1.00"),
    ]
    import_rows(client, account, rows)
    return rows


# With the fixed clock (2026-05-14) and ``spread``: each preset's inclusive range,
# and what it lists, newest first — worked out by hand.
PRESETS = {
    Preset.THIS_MONTH: ((date(2026, 5, 1), date(2026, 5, 31)),
                        ["Groceries this month", "Rent this month"]),
    Preset.LAST_MONTH: ((date(2026, 4, 1), date(2026, 4, 30)), ["Groceries last month"]),
    Preset.LAST_3_MONTHS: ((date(2026, 3, 1), date(2026, 5, 31)),
                           ["Groceries this month", "Rent this month", "Groceries last month",
                            "Train two months ago"]),
    Preset.THIS_YEAR: ((date(2026, 1, 1), date(2026, 12, 31)),
                       ["Groceries this month", "Rent this month", "Groceries last month",
                        "Train two months ago", "New year checkup"]),
    Preset.LAST_YEAR: ((date(2025, 1, 1), date(2025, 12, 31)), ["Summer flight"]),
    Preset.ALL_TIME: ((None, None),
                      ["Groceries this month", "Rent this month", "Groceries last month",
                       "Train two months ago", "New year checkup", "Summer flight",
                       "Ancient history"]),
    Preset.CUSTOM: ((date(2026, 3, 30), date(2026, 5, 14)),
                    ["Groceries this month", "Rent this month", "Groceries last month"]),
}  # fmt: skip


@pytest.mark.parametrize("preset", list(Preset))
def test_each_date_preset_covers_its_range_and_lists_its_expenses(
    qtbot, signed_in, client, account, spread, preset
):
    bar = signed_in.filters
    (first, last), descriptions = PRESETS[preset]
    if preset == Preset.CUSTOM:
        from desktop.views.filter_bar import to_qdate

        bar.date_from.setDate(to_qdate(first))
        bar.date_to.setDate(to_qdate(last))
    with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
        bar.preset.setCurrentText(preset.value)
        if preset == Preset.ALL_TIME:  # already selected: ask for the same again
            signed_in.refresh_action.trigger()
    idle(qtbot, signed_in)
    query = bar.query()
    assert (query.date_from, query.date_to) == (first, last)
    model = signed_in.expenses.model
    loaded_ids(qtbot, signed_in)
    assert [model.expense(row).description for row in range(model.rowCount())] == descriptions


def test_category_filter_and_debounced_search(qtbot, signed_in, client, account, spread):
    bar = signed_in.filters
    travel = category_id(client, account, "Travel")
    with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
        bar.category.setCurrentIndex(bar.category.findData(travel))
    idle(qtbot, signed_in)
    expected = [i["id"] for i in all_expenses(client, account, category_id=travel)]
    assert loaded_ids(qtbot, signed_in) == expected
    assert len(expected) == 2

    bar.category.setCurrentIndex(0)
    idle(qtbot, signed_in)
    signed_in.find_action.trigger()
    assert bar.search.hasFocus()
    with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
        qtbot.keyClicks(bar.search, "GROCER")  # one request after typing stops
    idle(qtbot, signed_in)
    expected = [i["id"] for i in all_expenses(client, account, q="GROCER")]
    assert loaded_ids(qtbot, signed_in) == expected
    assert len(expected) == 2
    bar.search.setText("early")  # notes are searched too
    qtbot.waitUntil(lambda: signed_in.expenses.model.query.text == "early", timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert [signed_in.expenses.model.expense(0).description] == ["Rent this month"]


def test_status_bar_shows_the_count_and_total_of_the_range(qtbot, signed_in, spread):
    for preset, count, total in (
        (Preset.ALL_TIME, "7 expenses", "Total $1,601.00"),
        (Preset.THIS_YEAR, "5 expenses", "Total $1,100.00"),
        (Preset.LAST_MONTH, "1 expense", "Total $20.00"),
    ):
        with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
            signed_in.filters.preset.setCurrentText(preset.value)
            if preset == Preset.ALL_TIME:
                signed_in.refresh_action.trigger()
        assert (signed_in.count_label.text(), signed_in.total_label.text()) == (count, total)


def test_pages_past_the_first_page_as_the_user_scrolls(qtbot, signed_in, client, account):
    day = today()
    rows = [(day - timedelta(days=i % 300), "Food", f"Row {i}", f"{i + 1}.00") for i in range(750)]
    import_rows(client, account, rows)
    with qtbot.waitSignal(signed_in.expenses.model.pageLoaded, timeout=WAIT_MS):
        signed_in.refresh_action.trigger()
    model, table = signed_in.expenses.model, signed_in.expenses.table
    assert model.rowCount() == FIRST_PAGE_SIZE  # one page, not everything
    for expected in (FIRST_PAGE_SIZE + PAGE_SIZE, 750):
        with qtbot.waitSignal(model.pageLoaded, timeout=WAIT_MS):
            table.scrollToBottom()
            table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
        assert model.rowCount() == expected
    assert not model.canFetchMore()
    expected_ids = [item["id"] for item in all_expenses(client, account)]
    assert [model.expense(r).id for r in range(model.rowCount())] == expected_ids
    assert ExpenseQuery() == model.query
