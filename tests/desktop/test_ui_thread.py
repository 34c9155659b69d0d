"""The GUI thread never waits on the network: every action's HTTP runs in a worker.

``ui_thread_guard`` (autouse in every desktop test) makes the client raise when called
on the GUI thread and logs every request with the thread it ran on; the test
drives each view's actions as a user would, against the real API.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop.views import categories_dialog, expenses_view
from desktop.views.import_wizard import history
from desktop.views.main_actions import TRASH
from desktop.views.main_window import DASHBOARD, EXPENSES
from tests.desktop.conftest import WAIT_MS, idle

EVERY_ENDPOINT = {
    ("POST", "/api/v1/auth/login"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/categories"),
    ("POST", "/api/v1/categories"),
    ("GET", "/api/v1/expenses"),
    ("GET", "/api/v1/expenses/summary"),
    ("POST", "/api/v1/expenses"),
    ("PATCH", "/api/v1/expenses/{id}"),
    ("DELETE", "/api/v1/expenses/{id}"),
    ("GET", "/api/v1/analytics/monthly"),
    ("GET", "/api/v1/analytics/categories"),
    ("GET", "/api/v1/expenses/export.csv"),
    ("POST", "/api/v1/imports/preview"),
    ("POST", "/api/v1/imports"),
    ("GET", "/api/v1/imports"),
    ("DELETE", "/api/v1/imports/{id}"),
    ("GET", "/api/v1/import-profiles"),
    ("GET", "/api/v1/rules"),
    ("GET", "/api/v1/version"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/expenses/trash"),
    ("POST", "/api/v1/expenses/{id}/restore"),
}


def closed(dialog) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def expense_dialog(qtbot, window, action):
    action.trigger()
    qtbot.waitUntil(lambda: window.expenses.dialog is not None, timeout=WAIT_MS)
    dialog = window.expenses.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def sign_in(qtbot, window, account) -> None:
    window.start()
    qtbot.waitUntil(lambda: window.login is not None and window.login.isVisible(), timeout=WAIT_MS)
    dialog = window.login
    qtbot.keyClicks(dialog.email, account.email)
    qtbot.keyClicks(dialog.password, account.password)
    with qtbot.waitSignal(window.signedIn, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.summary is not None, timeout=WAIT_MS)
    idle(qtbot, window)


def add_and_edit(qtbot, window) -> None:
    dialog = expense_dialog(qtbot, window, window.new_action)
    qtbot.keyClicks(dialog.amount, "12.50")
    qtbot.keyClicks(dialog.description, "Lunch")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.expenses.model.rowCount() == 1, timeout=WAIT_MS)
    window.expenses.select_row(0)
    dialog = expense_dialog(qtbot, window, window.edit_action)
    dialog.description.setText("Team lunch")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)
    idle(qtbot, window)


def export_and_import(qtbot, window, tmp_path, monkeypatch) -> None:
    target = tmp_path / "out.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(window.transfer.exported, timeout=WAIT_MS):
        window.export_action.trigger()
    source = tmp_path / "in.csv"
    source.write_text("date,category,description,amount,notes\n2026-02-03,Food,Bakery,3.20,\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    window.import_action.trigger()
    wizard = window.transfer.wizard
    qtbot.waitUntil(
        lambda: wizard.preview is not None and not wizard.busy and window.runner.pending == 0,
        timeout=WAIT_MS,
    )
    with qtbot.waitSignal(window.transfer.imported, timeout=WAIT_MS):
        wizard.import_button.click()
    idle(qtbot, window)
    wizard.tabs.setCurrentIndex(1)  # the history reads too, and undo is an op
    qtbot.waitUntil(lambda: wizard.history.model.rowCount() == 1, timeout=WAIT_MS)
    wizard.history.table.selectRow(0)
    monkeypatch.setattr(history, "ask_undo", lambda *_a: True)
    wizard.history.undo_button.click()
    qtbot.waitUntil(lambda: wizard.history.model.rowCount() == 0, timeout=WAIT_MS)
    idle(qtbot, window)
    wizard.reject()


def manage_categories(qtbot, window, monkeypatch) -> None:
    window.categories_action.trigger()
    dialog = next(
        w for w in window.findChildren(categories_dialog.CategoriesDialog) if w.isVisible()
    )
    monkeypatch.setattr(categories_dialog, "ask_name", lambda *a, **k: "Pets")
    dialog.add()
    qtbot.waitUntil(lambda: any(c.name == "Pets" for c in dialog.model.categories), timeout=WAIT_MS)
    dialog.reject()
    idle(qtbot, window)


def undo_move_and_trash(qtbot, window, monkeypatch) -> None:
    for action in (window.undo_action, window.redo_action, window.undo_action):
        action.trigger()
        idle(qtbot, window)
    window.expenses.select_row(0)
    target = window.categories.categories[-1]
    monkeypatch.setattr(expenses_view, "ask_category", lambda _parent, _categories: target)
    window.move_action.trigger()
    idle(qtbot, window)
    window.expenses.select_row(0)
    window.delete_action.trigger()
    idle(qtbot, window)
    window.view_actions[TRASH].trigger()
    qtbot.waitUntil(lambda: window.trash.model.rowCount() > 0, timeout=WAIT_MS)
    window.trash.table.selectRow(0)
    window.trash.restore_button.click()
    idle(qtbot, window)
    window.view_actions[EXPENSES].trigger()
    idle(qtbot, window)


def test_every_action_of_every_view_calls_the_network_off_the_gui_thread(
    qtbot, make_window, account, ui_thread_guard, tmp_path, monkeypatch
):
    window = make_window()
    sign_in(qtbot, window, account)
    add_and_edit(qtbot, window)
    window.refresh_action.trigger()
    idle(qtbot, window)
    window.view_actions[DASHBOARD].trigger()
    qtbot.waitUntil(lambda: bool(window.dashboard.trend.months), timeout=WAIT_MS)
    idle(qtbot, window)
    window.view_actions[EXPENSES].trigger()
    export_and_import(qtbot, window, tmp_path, monkeypatch)
    manage_categories(qtbot, window, monkeypatch)
    monkeypatch.setattr(expenses_view, "confirm_delete", lambda _parent, _count: True)
    window.expenses.select_row(0)
    rows = window.expenses.model.rowCount()
    window.delete_action.trigger()
    qtbot.waitUntil(lambda: window.expenses.model.rowCount() == rows - 1, timeout=WAIT_MS)
    undo_move_and_trash(qtbot, window, monkeypatch)
    about = window.about_action
    about.trigger()
    idle(qtbot, window)
    window.sign_out_action.trigger()
    qtbot.waitUntil(lambda: window.login is not None and window.login.isVisible(), timeout=WAIT_MS)
    idle(qtbot, window)

    assert ui_thread_guard.on_gui_thread() == []
    assert ui_thread_guard.endpoints() >= EVERY_ENDPOINT
