"""The import wizard end to end against the real API: preview, settle, import, undo."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QRadioButton

from desktop.views.import_wizard import history, wizard
from desktop.views.import_wizard.rows import COLUMNS
from tests.api.bank_import_helpers import FILES
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses


def open_wizard(qtbot, window, name, monkeypatch):
    monkeypatch.setattr(wizard, "ask_statement", lambda *a: FILES / name)
    window.import_action.trigger()
    dialog = window.transfer.wizard
    assert dialog is not None
    assert shiboken6.isValid(dialog)
    assert dialog.isVisible()
    settled(qtbot, window, dialog)
    return dialog


def settled(qtbot, window, dialog):
    """No preview waiting for the debounce, none running, nothing else in flight."""
    qtbot.waitUntil(
        lambda: not dialog.timer.isActive() and not dialog.busy and window.runner.pending == 0,
        timeout=WAIT_MS,
    )


def column(dialog, name):
    model, at = dialog.model, COLUMNS.index(name)
    return [model.data(model.index(row, at)) for row in range(model.rowCount())]


def radio(dialog, starts):
    buttons = dialog.form.ambiguity_box.findChildren(QRadioButton)
    return next(b for b in buttons if b.text().startswith(starts))


def test_preview_settle_import_reimport_and_undo(qtbot, signed_in, client, account, monkeypatch):
    dialog = open_wizard(qtbot, signed_in, "ambiguous_dates.csv", monkeypatch)
    assert column(dialog, "Status") == ["Error"] * 3
    assert dialog.counts.text() == "0 new · 0 duplicate · 3 errors · 0 skipped"
    assert not dialog.import_button.isEnabled()
    assert "two ways" in dialog.reason.text()
    # The choices are spelled out with the file's own first dates.
    day_first = radio(dialog, "Day first")
    month_first = radio(dialog, "Month first")
    assert day_first.text() == (
        "Day first:\n01/02/2025 = 1 February 2025\n03/04/2025 = 3 April 2025"
    )
    assert month_first.text() == (
        "Month first:\n01/02/2025 = 2 January 2025\n03/04/2025 = 4 March 2025"
    )
    assert not day_first.isChecked()
    assert not month_first.isChecked()
    # The columns offered are the file's header.
    roles = dialog.form.roles
    assert [roles["date"].itemText(i) for i in range(roles["date"].count())] == [
        "(none)", "Date", "Payee", "Amount"
    ]  # fmt: skip
    assert roles["description"].currentText() == "Payee"

    qtbot.mouseClick(day_first, Qt.MouseButton.LeftButton)
    assert not dialog.import_button.isEnabled()  # until the new preview answered
    settled(qtbot, signed_in, dialog)
    assert column(dialog, "Status") == ["New"] * 3
    assert [row.spent_on.isoformat() for row in dialog.model.rows] == [
        "2025-02-01", "2025-04-03", "2025-12-11"
    ]  # fmt: skip
    assert all(column(dialog, "Date"))
    assert dialog.form.date_format.currentData() == "%d/%m/%Y"
    assert dialog.form.date_format.currentText() == "dd/mm/yyyy"
    assert dialog.import_button.isEnabled(), dialog.reason.text()
    assert all_expenses(client, account) == []  # a preview writes nothing

    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS) as done:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert (done.args[0].created, done.args[0].duplicates) == (3, 0)
    settled(qtbot, signed_in, dialog)
    stored = all_expenses(client, account)
    assert sorted(e["spent_on"] for e in stored) == ["2025-02-01", "2025-04-03", "2025-12-11"]
    # The same file again: every row is a duplicate, nothing to import.
    assert column(dialog, "Status") == ["Duplicate"] * 3
    assert not dialog.import_button.isEnabled()
    assert dialog.reason.text().startswith("Imported 3 expenses")
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 3, timeout=WAIT_MS)

    dialog.tabs.setCurrentIndex(1)
    past = dialog.history
    qtbot.waitUntil(lambda: past.model.rowCount() == 1, timeout=WAIT_MS)
    assert past.model.records[0].created == 3
    past.table.selectRow(0)
    monkeypatch.setattr(history, "ask_undo", lambda *a: True)
    qtbot.mouseClick(past.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: past.model.rowCount() == 0, timeout=WAIT_MS)
    assert past.status.text() == "Undone: 3 expenses are in the Trash."
    assert all_expenses(client, account) == []
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 0, timeout=WAIT_MS)
    idle(qtbot, signed_in)
