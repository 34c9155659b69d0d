"""Keyboard-first entry: arithmetic amounts, Ctrl+Enter for the next one, type-ahead,
and the expenses table driven without a mouse."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, import_rows, today
from tests.desktop.test_expenses_view import closed
from tests.desktop.test_expenses_view import open_dialog as open_inactive


def open_dialog(qtbot, window, action):
    """The dialog as the active window: keyboard focus and shortcuts need one."""
    dialog = open_inactive(qtbot, window, action)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    dialog.amount.setFocus()
    return dialog


def test_the_amount_field_calculates(qtbot, signed_in, client, account):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    qtbot.keyClicks(dialog.amount, "12.50+3.20")
    qtbot.keyClick(dialog.amount, Qt.Key.Key_Tab)  # leaving the field shows the result
    assert dialog.amount.text() == "15.70"
    dialog.amount.setText("3*4.99")
    qtbot.keyClicks(dialog.description, "Three coffees")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert all_expenses(client, account)[0]["amount"] == "14.97"


def test_a_refund_is_typed_with_a_minus_and_listed_negative(qtbot, signed_in, client, account):
    from desktop.models.expenses import AMOUNT

    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    dialog.amount.setText("\u221212.50")  # the typographic minus, as pasted
    qtbot.keyClicks(dialog.description, "Returned shoes")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert all_expenses(client, account)[0]["amount"] == "-12.50"
    model = signed_in.expenses.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT_MS)
    assert model.index(0, AMOUNT).data() == "-$12.50"


def test_a_bad_calculation_is_said_under_the_field_and_nothing_is_sent(
    qtbot, signed_in, client, account
):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    qtbot.keyClicks(dialog.amount, "10/(5-5)")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("amount") == "Cannot divide by zero"
    assert dialog.amount.text() == "10/(5-5)"  # kept for the user to fix
    idle(qtbot, signed_in)
    assert all_expenses(client, account) == []
    dialog.reject()


def test_ctrl_enter_saves_and_starts_the_next_with_date_and_category_kept(
    qtbot, signed_in, client, account
):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    dialog.category.setCurrentIndex(dialog.category.findText("Travel"))
    dialog.spent_on.setDate(dialog.spent_on.date().addDays(-3))
    for amount, description in (("20", "Taxi"), ("7.5*2", "Two bus tickets")):
        qtbot.keyClicks(dialog.amount, amount)
        qtbot.keyClicks(dialog.description, description)
        qtbot.keyClick(dialog.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: dialog.amount.text() == "", timeout=WAIT_MS)
        assert dialog.isVisible()
        assert dialog.category.currentText() == "Travel"
        assert dialog.description.text() == ""
    idle(qtbot, signed_in)
    saved = sorted(all_expenses(client, account), key=lambda e: e["description"])
    assert [(e["description"], e["amount"], e["category"]) for e in saved] == [
        ("Taxi", "20.00", "Travel"),
        ("Two bus tickets", "15.00", "Travel"),
    ]
    day = today().replace(day=today().day - 3).isoformat()
    assert {e["spent_on"] for e in saved} == {day}
    dialog.reject()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 2, timeout=WAIT_MS)


def test_category_and_description_complete_from_history(qtbot, signed_in, client, account):
    import_rows(client, account, [(today(), "Entertainment", "Cinema tickets", "24.00")])
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    qtbot.waitUntil(lambda: dialog.history.rowCount() == 1, timeout=WAIT_MS)
    completer = dialog.description.completer()
    completer.setCompletionPrefix("cine")
    assert completer.currentCompletion() == "Cinema tickets"
    completer.activated.emit("Cinema tickets")  # what choosing it in the popup does
    assert dialog.category.currentText() == "Entertainment"
    # The category box takes typing: a part of a name, any case.
    dialog.category.setEditText("heal")
    category_completer = dialog.category.completer()
    category_completer.setCompletionPrefix("heal")
    assert category_completer.currentCompletion() == "Health"
    dialog.category.setEditText("health")
    qtbot.keyClicks(dialog.amount, "9")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert {e["category"] for e in all_expenses(client, account)} == {"Entertainment", "Health"}


def test_a_category_that_does_not_exist_is_refused(qtbot, signed_in):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    qtbot.keyClicks(dialog.amount, "5")
    dialog.category.setEditText("Nonsense")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("category_id") == "Choose one of your categories"
    dialog.reject()
    idle(qtbot, signed_in)


def test_the_table_works_without_a_mouse(qtbot, signed_in, client, account, monkeypatch):
    rows = [(today(), "Food", f"Meal {n}", f"{n}.00") for n in range(1, 4)]
    import_rows(client, account, rows)
    signed_in.refresh_action.trigger()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 3, timeout=WAIT_MS)
    idle(qtbot, signed_in)
    table = signed_in.expenses.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    assert signed_in.delete_action.isEnabled()  # the keyboard selection counts
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter edits the current row
    dialog = signed_in.expenses.dialog
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=WAIT_MS)
    assert dialog.description.text() == signed_in.expenses.model.expense(1).description
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    import desktop.views.expenses_view as view

    monkeypatch.setattr(view, "confirm_delete", lambda parent, count: True)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 2, timeout=WAIT_MS)
    idle(qtbot, signed_in)
