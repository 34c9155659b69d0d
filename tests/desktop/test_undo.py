"""Undo and redo (Ctrl+Z, Ctrl+Shift+Z) of create, edit, delete and bulk changes."""

from __future__ import annotations

from datetime import timedelta

import shiboken6
from PySide6.QtCore import Qt

from desktop.views import expenses_view
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, category_id, import_rows, today


def closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def server(client, account) -> list[tuple[str, str, str]]:
    return sorted(
        (e["description"], e["amount"], e["category"]) for e in all_expenses(client, account)
    )


def trash(client, account) -> list[str]:
    response = client.get("/api/v1/expenses/trash", headers=account.headers)
    return sorted(item["description"] for item in response.json()["items"])


def settle(qtbot, window) -> None:
    idle(qtbot, window)
    qtbot.waitUntil(lambda: window.operations.waiting() == 0, timeout=WAIT_MS)
    idle(qtbot, window)


def press(qtbot, window, keys: str) -> None:
    """Ctrl+Z / Ctrl+Shift+Z as the user types them, on the table."""
    window.activateWindow()  # a closed dialog leaves no active window offscreen
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    window.expenses.table.setFocus()
    modifiers = Qt.KeyboardModifier.ControlModifier
    if "Shift" in keys:
        modifiers |= Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.expenses.table, Qt.Key.Key_Z, modifiers)
    settle(qtbot, window)


def seed(qtbot, window, client, account, rows) -> None:
    import_rows(client, account, rows)
    window.refresh_action.trigger()
    qtbot.waitUntil(lambda: window.expenses.model.rowCount() == len(rows), timeout=WAIT_MS)
    idle(qtbot, window)


def select_rows(window, rows: list[int]) -> None:
    table, model = window.expenses.table, window.expenses.model
    flags = table.selectionModel().SelectionFlag
    table.clearSelection()
    for row in rows:
        table.selectionModel().select(model.index(row, 0), flags.Select | flags.Rows)


def test_undo_and_redo_a_create(qtbot, signed_in, client, account):
    signed_in.new_action.trigger()
    dialog = signed_in.expenses.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.amount, "9.99")
    qtbot.keyClicks(dialog.description, "Umbrella")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    settle(qtbot, signed_in)
    [created] = all_expenses(client, account)
    assert signed_in.undo_action.text() == "Undo New expense"

    press(qtbot, signed_in, "Ctrl+Z")
    assert server(client, account) == []
    assert trash(client, account) == ["Umbrella"]  # undo of a create goes through the trash
    assert signed_in.redo_action.text() == "Redo New expense"
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 0, timeout=WAIT_MS)

    press(qtbot, signed_in, "Ctrl+Shift+Z")
    [back] = all_expenses(client, account)
    assert (back["id"], back["description"]) == (created["id"], "Umbrella")  # the same one
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 1, timeout=WAIT_MS)


def test_undo_and_redo_an_edit(qtbot, signed_in, client, account):
    seed(qtbot, signed_in, client, account, [(today(), "Food", "Lunch", "12.00")])
    select_rows(signed_in, [0])
    signed_in.edit_action.trigger()
    dialog = signed_in.expenses.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.amount.setText("15.25")
    dialog.description.setText("Team lunch")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    settle(qtbot, signed_in)
    assert signed_in.undo_action.text() == "Undo Edit expense"

    press(qtbot, signed_in, "Ctrl+Z")
    assert server(client, account) == [("Lunch", "12.00", "Food")]
    qtbot.waitUntil(
        lambda: signed_in.expenses.model.expense(0).description == "Lunch", timeout=WAIT_MS
    )
    press(qtbot, signed_in, "Ctrl+Shift+Z")
    assert server(client, account) == [("Team lunch", "15.25", "Food")]


def test_undo_a_delete_of_three_restores_them_and_the_toast_offers_it(
    qtbot, signed_in, client, account, monkeypatch
):
    rows = [(today(), "Food", f"Item {i}", f"{i}.00") for i in range(1, 5)]
    seed(qtbot, signed_in, client, account, rows)
    monkeypatch.setattr(expenses_view, "confirm_delete", lambda _p, _n: True)
    select_rows(signed_in, [0, 1, 3])
    signed_in.delete_action.trigger()
    settle(qtbot, signed_in)
    assert len(all_expenses(client, account)) == 1
    assert signed_in.toast.isVisible()
    assert signed_in.toast.text == "Deleted 3 expenses"
    assert signed_in.toast.action_button.text() == "Undo"
    assert signed_in.undo_action.text() == "Undo Delete 3 expenses"
    edit_menu = next(a.menu() for a in signed_in.menuBar().actions() if a.text() == "&Edit")
    assert edit_menu.actions()[0].text() == "Undo Delete 3 expenses"

    signed_in.toast.action_button.click()  # the toast's Undo
    settle(qtbot, signed_in)
    assert len(all_expenses(client, account)) == 4
    assert trash(client, account) == []
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 4, timeout=WAIT_MS)

    press(qtbot, signed_in, "Ctrl+Shift+Z")
    assert len(all_expenses(client, account)) == 1
    assert len(trash(client, account)) == 3


def test_undo_a_bulk_recategorise(qtbot, signed_in, client, account, monkeypatch):
    rows = [(today(), "Food", "Bread", "2.00"), (today(), "Health", "Pills", "7.00"),
            (today(), "Food", "Milk", "1.00")]  # fmt: skip
    seed(qtbot, signed_in, client, account, rows)
    transport = category_id(client, account, "Transport")
    chosen = next(c for c in signed_in.categories.categories if c.id == transport)
    monkeypatch.setattr(expenses_view, "ask_category", lambda _p, _c: chosen)
    select_rows(signed_in, [0, 1, 2])
    signed_in.move_action.trigger()
    settle(qtbot, signed_in)
    assert {c for _, _, c in server(client, account)} == {"Transport"}
    assert signed_in.undo_action.text() == "Undo Move 3 expenses to Transport"
    assert signed_in.toast.text == "Moved 3 expenses to Transport"

    press(qtbot, signed_in, "Ctrl+Z")
    assert server(client, account) == [
        ("Bread", "2.00", "Food"), ("Milk", "1.00", "Food"), ("Pills", "7.00", "Health")
    ]  # fmt: skip
    press(qtbot, signed_in, "Ctrl+Shift+Z")
    assert {c for _, _, c in server(client, account)} == {"Transport"}
    assert signed_in.redo_action.text() == "Redo"
    assert not signed_in.redo_action.isEnabled()


def test_a_new_change_clears_redo(qtbot, signed_in, client, account, monkeypatch):
    seed(qtbot, signed_in, client, account, [(today(), "Food", "A", "1.00"),
                                             (today(), "Food", "B", "2.00")])  # fmt: skip
    monkeypatch.setattr(expenses_view, "confirm_delete", lambda _p, _n: True)
    select_rows(signed_in, [0])
    signed_in.delete_action.trigger()
    settle(qtbot, signed_in)
    press(qtbot, signed_in, "Ctrl+Z")
    assert signed_in.redo_action.isEnabled()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 2, timeout=WAIT_MS)
    select_rows(signed_in, [1])
    signed_in.delete_action.trigger()
    settle(qtbot, signed_in)
    assert not signed_in.redo_action.isEnabled()
    assert signed_in.undo_action.text() == "Undo Delete expense"


def test_a_bulk_change_refused_halfway_keeps_what_was_done_undoable(
    qtbot, signed_in, client, account, monkeypatch
):
    yesterday = today() - timedelta(days=1)  # newest first: "First" is sent first
    rows = [(today(), "Food", "First", "2.00"), (yesterday, "Food", "Second", "1.00")]
    seed(qtbot, signed_in, client, account, rows)
    second = next(e for e in all_expenses(client, account) if e["description"] == "Second")
    changed = client.patch(  # someone else edits the second row meanwhile: a 412 for us
        f"/api/v1/expenses/{second['id']}", json={"notes": "phone"}, headers=account.headers
    )
    assert changed.status_code == 200
    health = category_id(client, account, "Health")
    chosen = next(c for c in signed_in.categories.categories if c.id == health)
    monkeypatch.setattr(expenses_view, "ask_category", lambda _p, _c: chosen)
    select_rows(signed_in, [0, 1])
    signed_in.move_action.trigger()
    settle(qtbot, signed_in)
    qtbot.waitUntil(signed_in.banner.isVisible, timeout=WAIT_MS)
    assert "changed since you read it" in signed_in.banner.text
    assert server(client, account) == [("First", "2.00", "Health"), ("Second", "1.00", "Food")]
    assert signed_in.undo_action.text() == "Undo Move 2 expenses to Health"
    press(qtbot, signed_in, "Ctrl+Z")
    assert server(client, account) == [("First", "2.00", "Food"), ("Second", "1.00", "Food")]
