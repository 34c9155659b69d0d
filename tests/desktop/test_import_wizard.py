"""The import wizard end to end against the real API: preview, settle, import, undo."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QRadioButton

from desktop.demo_window import DEMO_STATEMENTS
from desktop.views.import_wizard import history, profiles, wizard
from desktop.views.import_wizard.rows import COLUMNS
from tests.api.bank_import_helpers import FILES, PREVIEW
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, create


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


def choose(qtbot, button):
    """Click the radio button on its circle (its right part is empty, not clickable)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def radio(dialog, starts):
    buttons = dialog.form.ambiguity_box.findChildren(QRadioButton)
    return next(b for b in buttons if b.text().startswith(starts))


def test_preview_settle_import_reimport_and_undo(qtbot, signed_in, client, account, monkeypatch):
    dialog = open_wizard(qtbot, signed_in, "ambiguous_dates.csv", monkeypatch)
    assert column(dialog, "Status") == ["Error"] * 3
    assert dialog.counts.text() == "0 new · 0 duplicates · 3 errors · 0 skipped"
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

    choose(qtbot, day_first)
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


def previews(log) -> int:
    return sum(1 for method, path, _ in log.calls if (method, path) == ("POST", PREVIEW))


def test_changes_in_quick_succession_preview_once_with_the_last_values(
    qtbot, signed_in, monkeypatch, ui_thread_guard
):
    dialog = open_wizard(qtbot, signed_in, "ambiguous_dates.csv", monkeypatch)
    choose(qtbot, radio(dialog, "Month first"))
    settled(qtbot, signed_in, dialog)
    assert [row.spent_on.isoformat() for row in dialog.model.rows] == [
        "2025-01-02", "2025-03-04", "2025-11-12"
    ]  # fmt: skip
    before = previews(ui_thread_guard)
    for _ in range(3):
        dialog.form.negate.toggle()  # on, off, on: spending is written as positive
    dialog.form.account.setText("Corner bank")
    dialog.form.account.textEdited.emit("Corner bank")
    assert not dialog.import_button.isEnabled()
    assert dialog.reason.text() == "Reading the file…"
    settled(qtbot, signed_in, dialog)
    assert previews(ui_thread_guard) == before + 1
    # Negated, every debit reads as money in: skipped, unless credits are imported.
    assert column(dialog, "Status") == ["Skipped"] * 3
    assert dialog.reason.text() == "Nothing new to import."
    dialog.form.include_credits.setChecked(True)
    settled(qtbot, signed_in, dialog)
    assert [str(row.amount) for row in dialog.model.rows] == ["-12.00", "-8.50", "-3.20"]
    assert dialog.import_button.isEnabled()


def test_an_ofx_statement_with_account_label_and_credits(
    qtbot, signed_in, client, account, monkeypatch
):
    dialog = open_wizard(qtbot, signed_in, "card_v2.ofx", monkeypatch)
    assert not dialog.form.csv_box.isVisible()  # OFX has no columns to map
    assert not dialog.form.ambiguity_box.isVisible()
    assert dialog.form.account.text() == "XXXXXXXXXXXX1234"  # the statement's account
    assert dialog.file_label.text() == (
        "<b>card_v2.ofx</b> · OFX · 2025-03-01 to 2025-03-31 · closing balance -€44.60"
    )
    assert column(dialog, "Status") == ["New", "New", "Skipped"]
    assert "include_credits" in column(dialog, "Note")[2]
    dialog.form.account.setText("Visa 1234")
    dialog.form.account.textEdited.emit("Visa 1234")
    dialog.form.include_credits.setChecked(True)
    settled(qtbot, signed_in, dialog)
    assert column(dialog, "Status") == ["New", "New", "New"]
    with qtbot.waitSignal(dialog.imported, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    settled(qtbot, signed_in, dialog)
    stored = sorted(all_expenses(client, account), key=lambda e: e["spent_on"])
    assert [(e["amount"], e["account"]) for e in stored] == [
        ("42.10", "Visa 1234"), ("15.00", "Visa 1234"), ("-12.50", "Visa 1234")
    ]  # fmt: skip
    assert column(dialog, "Status") == ["Duplicate"] * 3


def test_a_saved_profile_reads_the_next_file_without_asking(
    qtbot, signed_in, client, account, monkeypatch
):
    dialog = open_wizard(qtbot, signed_in, "ambiguous_dates.csv", monkeypatch)
    choose(qtbot, radio(dialog, "Month first"))
    settled(qtbot, signed_in, dialog)
    monkeypatch.setattr(profiles, "ask_profile_name", lambda _parent, suggested: "Corner bank")
    assert dialog.save_profile_button.isEnabled()
    qtbot.mouseClick(dialog.save_profile_button, Qt.MouseButton.LeftButton)
    combo = dialog.profiles.combo
    qtbot.waitUntil(lambda: combo.currentText() == "Corner bank", timeout=WAIT_MS)
    saved = client.get("/api/v1/import-profiles", headers=account.headers).json()["items"]
    assert [(p["name"], p["mapping"]["date_format"]) for p in saved] == [
        ("Corner bank", "%m/%d/%Y")
    ]
    dialog.load_file(FILES / "ambiguous_dates.csv")  # the next statement of that bank
    settled(qtbot, signed_in, dialog)
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    settled(qtbot, signed_in, dialog)
    assert dialog.form.unsettled() == ["date_format"]  # detected afresh: ambiguous
    dialog.form.account.setText("Corner 0042")
    combo.setCurrentIndex(combo.findText("Corner bank"))
    combo.activated.emit(combo.currentIndex())
    settled(qtbot, signed_in, dialog)
    assert dialog.form.account.text() == "Corner 0042"  # a profile is a mapping, not a label
    assert dialog.form.unsettled() == []
    assert not dialog.form.ambiguity_box.isVisible()
    assert [row.spent_on.isoformat() for row in dialog.model.rows] == [
        "2025-01-02", "2025-03-04", "2025-11-12"
    ]  # fmt: skip
    assert dialog.import_button.isEnabled()


def test_the_demo_statements_preview_as_the_demo_promises(qtbot, signed_in, monkeypatch):
    folder = DEMO_STATEMENTS
    asked = []
    monkeypatch.setattr(wizard, "ask_statement", lambda _p, start: asked.append(start))
    signed_in.transfer.statements = folder
    signed_in.import_action.trigger()
    assert asked == [str(folder)]  # the file dialog opens on the demo's statements
    dialog = signed_in.transfer.wizard
    dialog.load_file(folder / "visa-card-october.ofx")
    settled(qtbot, signed_in, dialog)
    assert column(dialog, "Status") == ["New"] * 3 + ["Skipped"] + ["New"] * 2
    dialog.load_file(folder / "corner-bank-november.csv")
    settled(qtbot, signed_in, dialog)
    assert dialog.form.unsettled() == ["date_format"]
    assert radio(dialog, "Day first").text().splitlines()[1] == "02/11/2026 = 2 November 2026"
    assert radio(dialog, "Month first").text().splitlines()[1] == "02/11/2026 = 11 February 2026"


def test_a_qif_file_whose_dates_read_both_ways(qtbot, signed_in, tmp_path, monkeypatch):
    path = tmp_path / "giro.qif"
    path.write_bytes(b"!Type:Bank\nD01/02'25\nT-5.00\nPShop\n^\nD03/04'25\nT-6.00\nPCafe\n^\n")
    monkeypatch.setattr(wizard, "ask_statement", lambda *a: path)
    signed_in.import_action.trigger()
    dialog = signed_in.transfer.wizard
    settled(qtbot, signed_in, dialog)
    assert not dialog.form.csv_box.isVisible()  # QIF has no columns, only this choice
    assert radio(dialog, "Month first").text() == (
        "Month first:\n01/02'25 = 2 January 2025\n03/04'25 = 4 March 2025"
    )
    assert not dialog.import_button.isEnabled()
    choose(qtbot, radio(dialog, "Month first"))
    settled(qtbot, signed_in, dialog)
    assert [row.spent_on.isoformat() for row in dialog.model.rows] == ["2025-01-02", "2025-03-04"]
    assert dialog.import_button.isEnabled(), dialog.reason.text()


def test_the_apps_own_export_imports_back_whole(
    qtbot, signed_in, client, account, other_account, tmp_path, monkeypatch
):
    """A backup made by the app itself keeps what a bank file cannot carry: the
    wizard hands it to the app's own import, which reads tags and splits back."""
    ids = {c["name"]: c["id"] for c in client.get(
        "/api/v1/categories", headers=other_account.headers).json()["items"]}  # fmt: skip
    parts = [
        {"category_id": ids["Food"], "amount": "20.00"},
        {"category_id": ids["Shopping"], "amount": "10.00"},
    ]
    create(
        client, other_account, amount="30.00", spent_on="2026-05-02", description="Costco",
        tags=["family"], splits=parts,
    )  # fmt: skip
    backup = tmp_path / "backup.csv"
    backup.write_bytes(
        client.get("/api/v1/expenses/export.csv", headers=other_account.headers).content
    )
    monkeypatch.setattr(wizard, "ask_statement", lambda *a: backup)
    signed_in.import_action.trigger()
    qtbot.waitUntil(lambda: signed_in.transfer.preview is not None, timeout=WAIT_MS)
    preview = signed_in.transfer.preview
    assert preview.report.created == 1
    with qtbot.waitSignal(signed_in.transfer.imported, timeout=WAIT_MS):
        preview.confirm.click()
    idle(qtbot, signed_in)
    (mine,) = all_expenses(client, account)
    assert mine["tags"] == ["family"]
    assert [part["amount"] for part in mine["splits"]] == ["20.00", "10.00"]
