"""The expense dialog's "refund of…" picker against the real API."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import category_id, create, expense, import_rows
from tests.desktop.test_expense_dialog_money import save
from tests.desktop.test_keyboard_entry import open_dialog


def test_a_refund_names_the_purchase_it_returns(qtbot, signed_in, client, account):
    shopping = category_id(client, account, "Shopping")
    shoes = create(client, account, amount="80.00", category_id=shopping,
                   spent_on=date(2026, 5, 2), description="Running shoes")  # fmt: skip
    create(client, account, amount="-5.00", category_id=shopping, spent_on=date(2026, 5, 3),
           description="Voucher")  # fmt: skip
    create(client, account, amount="12.00", category_id=shopping, spent_on=date(2026, 5, 4),
           description="Socks")  # fmt: skip
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    picker = dialog.refund
    qtbot.waitUntil(lambda: picker.count() == 3, timeout=WAIT_MS)  # None and the two purchases
    listed = [picker.itemText(row) for row in range(picker.count())]
    assert listed == ["None", "2026-05-04 · Socks · $12.00", "2026-05-02 · Running shoes · $80.00"]
    assert not picker.isEnabled()  # a purchase refunds nothing
    qtbot.keyClicks(dialog.amount, "-80")
    assert picker.isEnabled()
    picker.setFocus()
    picker.lineEdit().clear()
    qtbot.keyClicks(picker.lineEdit(), "shoes")
    popup = picker.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=WAIT_MS)
    assert picker.completer().completionCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.refund_of() == shoes["id"]
    qtbot.keyClicks(dialog.description, "Shoes returned")
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    refund = expense(client, account, signed_in.expenses.model.expense(0).id)
    assert (refund["amount"], refund["refund_of"]) == ("-80.00", shoes["id"])

    signed_in.expenses.select_row(0)  # the edited refund shows what it returns
    dialog = open_dialog(qtbot, signed_in, signed_in.edit_action)
    qtbot.waitUntil(lambda: "Running shoes" in dialog.refund.currentText(), timeout=WAIT_MS)
    dialog.refund.setCurrentIndex(0)  # None: no longer linked
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    assert expense(client, account, refund["id"])["refund_of"] is None


def test_text_that_names_no_expense_is_refused_beside_the_picker(qtbot, signed_in):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    dialog.amount.setText("-10")
    dialog.refund.lineEdit().setText("no such purchase")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("refund_of").startswith("Choose one of the expenses listed")
    dialog.reject()


def test_an_older_purchase_is_found_by_searching_the_server(qtbot, signed_in, client, account):
    shopping = category_id(client, account, "Shopping")
    camera = create(client, account, amount="240.00", category_id=shopping,
                    spent_on=date(2020, 3, 1), description="Vintage camera")  # fmt: skip
    # Newer than it, 500 coffees fill the recent history the picker starts from.
    import_rows(client, account, [(date(2026, 4, 1), "Food", f"Coffee {n}", "3.00")
                                  for n in range(500)])  # fmt: skip
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    picker = dialog.refund
    qtbot.waitUntil(lambda: picker.count() == 501, timeout=WAIT_MS)
    assert picker.findData(camera["id"]) < 0  # not among the recent ones
    dialog.amount.setText("-240")
    picker.setFocus()
    picker.lineEdit().clear()
    qtbot.keyClicks(picker.lineEdit(), "camera")
    qtbot.waitUntil(lambda: picker.findData(camera["id"]) >= 0, timeout=WAIT_MS)
    picker.setCurrentIndex(picker.findData(camera["id"]))
    assert picker.currentText() == "2020-03-01 · Vintage camera · $240.00"
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    refund = expense(client, account, signed_in.expenses.model.expense(0).id)
    assert refund["refund_of"] == camera["id"]
