"""The expense dialog's tags, split editor and "refund of…" picker, against the real API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from desktop.models.categories import CategoryListModel
from desktop.views.split_editor import SplitEditor
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import category_id, create, expense
from tests.desktop.test_accessibility import focus_chain
from tests.desktop.test_expense_dialog_money import save
from tests.desktop.test_keyboard_entry import open_dialog
from wire.categories import Category
from wire.validation import MAX_SPLITS, MAX_TAGS, FieldError, check_splits


def reload(qtbot, window) -> None:
    window.expenses.model.reload()
    idle(qtbot, window)


# --- tags -------------------------------------------------------------------------------
def test_tags_complete_from_the_users_own_and_are_saved(qtbot, signed_in, client, account):
    food = category_id(client, account, "Food")
    for tags in (["Work", "lunch"], ["Work"], ["weekend"]):
        create(client, account, amount="5.00", category_id=food, spent_on=date(2026, 5, 1),
               tags=tags)  # fmt: skip
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    edit = dialog.tags
    qtbot.waitUntil(lambda: edit.known.rowCount() == 3, timeout=WAIT_MS)
    qtbot.keyClicks(edit, "w")
    completer = edit.tag_completer
    assert completer.popup().isVisible()
    offered = [completer.completionModel().index(r, 0).data() for r in range(2)]
    assert offered == ["Work", "weekend"]  # the most used first
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert edit.text() == "Work, "
    qtbot.keyClicks(edit, "w")  # "Work" is on the line already: only "weekend" is left
    assert completer.completionCount() == 1
    assert completer.completionModel().index(0, 0).data() == "weekend"
    qtbot.keyClicks(edit, "ork, Lisbon trip")  # "work" again, in another case
    qtbot.keyClicks(dialog.amount, "8")
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    saved = expense(client, account, signed_in.expenses.model.expense(0).id)
    assert sorted(saved["tags"]) == ["Lisbon trip", "Work"]  # once, in the first spelling


def test_too_many_or_too_long_tags_are_refused_beside_the_field(qtbot, signed_in, ui_thread_guard):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    idle(qtbot, signed_in)
    dialog.amount.setText("5")
    dialog.tags.setText(", ".join(f"t{n}" for n in range(MAX_TAGS + 1)))
    sent = len(ui_thread_guard.calls)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("tags") == f"At most {MAX_TAGS} tags"
    dialog.tags.setText("ok, " + "x" * 200)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("tags").startswith("Must be at most")
    assert len(ui_thread_guard.calls) == sent  # nothing was sent
    dialog.reject()


# --- splits -----------------------------------------------------------------------------
def test_a_split_saves_only_when_its_parts_sum_to_the_amount(qtbot, signed_in, client, account):
    food, travel = (category_id(client, account, name) for name in ("Food", "Travel"))
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    qtbot.keyClicks(dialog.amount, "100.00")
    dialog.category.setCurrentIndex(dialog.category.findText("Food"))
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    first, second = dialog.splits.rows
    assert first.category.currentText() == "Food"  # the category chosen so far
    assert not dialog.save_button.isEnabled()
    qtbot.keyClicks(first.amount, "60")
    assert dialog.splits.remaining.text() == "Remaining: $40.00"
    second.category.setCurrentIndex(second.category.findText("Travel"))
    qtbot.keyClicks(second.amount, "50")
    assert dialog.splits.remaining.text() == "Over by $10.00"
    assert not dialog.save_button.isEnabled()
    second.amount.setText("40")
    assert dialog.splits.remaining.text() == "✓ The parts add up"
    assert dialog.save_button.isEnabled()
    qtbot.keyClicks(dialog.description, "Trip groceries")
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    saved = expense(client, account, signed_in.expenses.model.expense(0).id)
    assert saved["splits"] == [
        {"category_id": food, "amount": "60.00"},
        {"category_id": travel, "amount": "40.00"},
    ]
    assert saved["category_id"] == food

    signed_in.expenses.select_row(0)  # the saved parts come back into the editor
    dialog = open_dialog(qtbot, signed_in, signed_in.edit_action)
    assert dialog.split_button.isChecked()
    parts = [(row.category.currentText(), row.amount.text()) for row in dialog.splits.rows]
    assert parts == [("Food", "60.00"), ("Travel", "40.00")]
    qtbot.mouseClick(dialog.splits.add_button, Qt.MouseButton.LeftButton)
    third = dialog.splits.rows[2]
    third.category.setCurrentIndex(third.category.findText("Health"))
    third.amount.setText("15")
    assert not dialog.save_button.isEnabled()
    dialog.splits.rows[0].amount.setText("45")
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    saved = expense(client, account, saved["id"])
    assert [part["amount"] for part in saved["splits"]] == ["45.00", "40.00", "15.00"]

    signed_in.expenses.select_row(0)  # un-splitting: one category again
    dialog = open_dialog(qtbot, signed_in, signed_in.edit_action)
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    assert dialog.category.isEnabled()
    assert dialog.save_button.isEnabled()
    dialog.category.setCurrentIndex(dialog.category.findText("Travel"))
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    saved = expense(client, account, saved["id"])
    assert (saved["splits"], saved["category_id"]) == (None, travel)


def test_tab_goes_through_the_parts_and_an_empty_one_offers_what_is_left(qtbot, signed_in):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    qtbot.keyClicks(dialog.amount, "100")
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    first, second = dialog.splits.rows
    qtbot.waitUntil(second.remove.isVisible, timeout=WAIT_MS)  # layouts show new widgets later
    # Parts made after the dialog still come in reading order (removing is disabled at two).
    order = [first.category, first.amount, second.category, second.amount,
             dialog.splits.add_button, dialog.description]  # fmt: skip
    assert focus_chain(dialog.split_button, len(order)) == order
    qtbot.keyClicks(first.amount, "64.50")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    second.amount.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: second.amount.text() == "35.50", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: second.amount.selectedText() == "35.50", timeout=WAIT_MS)
    qtbot.keyClicks(second.amount, "30")  # typing replaces the offer
    assert second.amount.text() == "30"
    assert dialog.splits.remaining.text() == "Remaining: $5.50"
    dialog.reject()


def test_a_split_keeps_two_parts_and_stops_at_the_limit(qtbot):
    editor = SplitEditor(_categories(), "USD")
    qtbot.addWidget(editor)
    editor.add_part(1, "1")
    editor.add_part(2, "1")
    assert not any(row.remove.isEnabled() for row in editor.rows)
    while editor.add_button.isEnabled():
        editor.add_part(1, "1")
    assert len(editor.rows) == MAX_SPLITS
    assert all(row.remove.isEnabled() for row in editor.rows)


def _categories() -> CategoryListModel:
    model = CategoryListModel()
    model.set_categories([Category(id=n, name=f"C{n}", color="#123456") for n in (1, 2, 3)])
    return model


cents = st.integers(-5000, 5000).map(lambda n: Decimal(n).scaleb(-2))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(total=cents, parts=st.lists(st.tuples(st.sampled_from([1, 2, 3]), cents), max_size=5))
def test_the_editor_agrees_with_check_splits_for_any_parts(qtbot, total, parts):
    editor = SplitEditor(_categories(), "USD")
    qtbot.addWidget(editor)
    for category, amount in parts:
        editor.add_part(category, str(amount))
    editor.set_total(total if total else None)
    try:
        check_splits(parts, total)
        valid = bool(total)
    except FieldError:
        valid = False
    assert (editor.problem() is None) == valid
    left = total - sum((amount for _, amount in parts), Decimal("0.00"))
    if total and left and abs(left) <= abs(total) and (left > 0) == (total > 0):
        assert editor.remaining.text().startswith("Remaining:")


def test_ctrl_enter_does_not_save_a_split_that_does_not_add_up(qtbot, signed_in, ui_thread_guard):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    idle(qtbot, signed_in)
    qtbot.keyClicks(dialog.amount, "30")
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    first, second = dialog.splits.rows
    first.amount.setText("10")
    second.category.setCurrentIndex(second.category.findText("Travel"))
    second.amount.setText("10")
    sent = len(ui_thread_guard.calls)
    qtbot.keyClick(dialog.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.errors.message("splits").startswith("The parts sum to 20.00")
    assert len(ui_thread_guard.calls) == sent
    assert dialog.isVisible()
    dialog.reject()
