"""Add or edit one expense. A failed save keeps the dialog open, input intact.

The dialog turns its input into an ``Op`` (operations/expenses.py) and waits for the
``OperationRunner``'s answer, so it can stay open and show the server's field errors
next to the fields; with no server the op is queued and the dialog closes. One
Idempotency-Key per distinct body: a retried or replayed save creates one expense.

The money of the second release has its own widgets: the currency picker and the
live conversion (money_fields.py), tags (tag_edit.py), the split editor
(split_editor.py) and the "refund of…" picker (refund_picker.py); the keyboard-first
entry (arithmetic, Ctrl+Enter, completion from history) is in expense_entry.py.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.client import ApiClient
from desktop.errors import ApiError, ServerUnreachable
from desktop.filters import today
from desktop.models.categories import CategoryListModel
from desktop.operations.expenses import save_expense
from desktop.operations.runner import OperationRunner
from desktop.views import rule_offer
from desktop.views.banner import Banner
from desktop.views.expense_entry import KeyboardEntry
from desktop.views.forms import FieldErrors
from desktop.views.money_fields import ConversionHint, CurrencyPicker, charged_amount
from desktop.views.refund_picker import RefundPicker
from desktop.views.split_editor import SplitEditor
from desktop.views.tag_edit import TagEdit
from desktop.workers import Runner
from wire.expenses import Expense
from wire.validation import MAX_DESCRIPTION, FieldError

# Server field names → the row that shows them ("tags[2]" is the tags row).
FIELD_ALIASES = {"category": "category_id", "currency": "amount"}


class ExpenseDialog(KeyboardEntry, QDialog):
    saved = Signal(object)  # the Expense the server answered; None: queued offline

    def __init__(
        self,
        client: ApiClient,
        runner: Runner,
        categories: CategoryListModel,
        currency: str,
        expense: Expense | None = None,
        parent: QWidget | None = None,
        operations: OperationRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.client, self.runner, self.expense = client, runner, expense
        self.base_currency = currency
        self.operations = operations or OperationRunner(lambda: client, runner)
        self.setWindowTitle("Edit expense" if expense else "New expense")
        self.setMinimumWidth(480)
        self.banner = Banner()
        self.amount = QLineEdit(placeholderText="0.00 or 12.50+3.20")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setToolTip(
            "Arithmetic works: 12.50+3.20, 3*4.99, (20-2.5)/2. Negative: a refund"
        )
        self.amount.editingFinished.connect(self._calculate)
        self.currency = CurrencyPicker(currency)
        self.currency.setMaximumWidth(90)
        self.conversion = ConversionHint(client, runner, currency)
        self.charged = QLineEdit(placeholderText=f"Optional: what your bank charged, in {currency}")
        self.charged.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.charged.setToolTip("Kept as given instead of the day's rate (the expense is settled)")
        self.spent_on = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.category = QComboBox()
        self.category.setModel(categories)
        self.category.setMinimumWidth(200)
        # Type-ahead: typing "gro" offers Groceries; only listed categories are saved.
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.category.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.split_button = QToolButton(text="Split…", checkable=True)
        self.split_button.setToolTip("Share this expense between several categories")
        self.split_button.toggled.connect(self._split_toggled)
        self.splits = SplitEditor(categories, currency)
        self.splits.changed.connect(self._update_save)
        self.description = QLineEdit(placeholderText="What was it?")
        self.description.setMaxLength(MAX_DESCRIPTION)
        self.tags = TagEdit()
        self.refund = RefundPicker(client, runner, expense.id if expense else None)
        self.notes = QPlainTextEdit(placeholderText="Optional notes")
        self.notes.setFixedHeight(64)
        self.notes.setTabChangesFocus(True)
        self.errors = FieldErrors()
        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.errors.add_row(form, "Amount", "amount", self.amount, [self.currency])
        form.addRow("", self.conversion)
        self.charged_row = self.errors.add_row(form, "Charged", "base_amount", self.charged)
        self.errors.add_row(form, "Date", "spent_on", self.spent_on)
        self.errors.add_row(form, "Category", "category_id", self.category, [self.split_button])
        self.splits_row = self.errors.add_row(form, "Split", "splits", self.splits)
        self.errors.add_row(form, "Description", "description", self.description)
        self.errors.add_row(form, "Tags", "tags", self.tags)
        self.errors.add_row(form, "Refund of", "refund_of", self.refund)
        self.errors.add_row(form, "Notes", "notes", self.notes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._idempotency: tuple[dict[str, Any], str] | None = None
        self._saving = False
        self.setup_entry()
        for signal in (
            self.amount.textChanged,
            self.currency.currentTextChanged,
            self.spent_on.dateChanged,
        ):
            signal.connect(self._money_changed)
        self._fill(expense, categories)
        self._money_changed()
        self.amount.setFocus()
        self._load_history()
        self._load_tags()

    def _fill(self, expense: Expense | None, categories: CategoryListModel) -> None:
        day = expense.spent_on if expense else today()
        self.spent_on.setDate(QDate(day.year, day.month, day.day))
        self.form.setRowVisible(self.splits_row, False)
        if expense is None:
            return
        point = self.locale().decimalPoint()
        self.amount.setText(str(expense.amount).replace(".", point))
        self.currency.set_code(expense.currency or self.base_currency)
        if expense.settled and expense.base_amount is not None:
            self.charged.setText(str(expense.base_amount).replace(".", point))
        self.category.setCurrentIndex(max(0, categories.row_of(expense.category_id)))
        if expense.splits:
            self.split_button.setChecked(True)
            self.splits.set_parts(expense.splits, point)
        self.description.setText(expense.description)
        self.tags.set_tags(expense.tags)
        self.notes.setPlainText(expense.notes)
        if expense.refund_of is not None:
            self.refund.set_refund_id(expense.refund_of)
            self._load_refunded(expense.refund_of)

    # --- live: conversion, charged amount, refund, split ---------------------------------
    def _day(self) -> date:
        qdate = self.spent_on.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def _money_changed(self) -> None:
        amount, currency = self.quiet_amount(), self.currency.code()
        self.conversion.show_for(amount, currency, self._day())
        foreign = currency is not None and currency != self.base_currency
        self.form.setRowVisible(self.charged_row, foreign)
        self.refund.setEnabled(amount is not None and amount < 0)
        self.splits.set_total(amount, currency)
        self._update_save()

    def _split_toggled(self, on: bool) -> None:
        self.form.setRowVisible(self.splits_row, on)
        self.category.setEnabled(not on)
        self.split_button.setText("Don't split" if on else "Split…")
        if on and not self.splits.rows:
            self.splits.add_part(self.category_id_quiet())
            self.splits.add_part(focus=True)
        elif not on:
            self.splits.clear()
        self.adjustSize()
        self._update_save()

    def _update_save(self) -> None:
        problem = self.splits.problem() if self.split_button.isChecked() else None
        self.save_button.setEnabled(problem is None and not self._saving)
        self.save_button.setToolTip(
            problem or "Save (Enter); Ctrl+Enter saves and starts the next one"
        )

    # --- the body ---------------------------------------------------------------------
    def fields(self) -> dict[str, Any] | None:
        """Every writable field as the user left it, or None (and a message) if unreadable."""
        amount = self.amount_value()
        if amount is None:
            self.amount.setFocus()
            return None
        currency = self.currency.code()
        if currency is None:
            self.errors.set("amount", "Choose a currency from the list, such as EUR")
            self.currency.setFocus()
            return None
        problem = self.splits.problem() if self.split_button.isChecked() else None
        if problem:  # Save is disabled meanwhile, but Ctrl+Enter comes here too
            self.errors.set("splits", problem)
            return None
        splits = self.splits.parts() if self.split_button.isChecked() else None
        category_id = splits[0].category_id if splits else self.category_id()
        if category_id is None:
            self.errors.set("category_id", "Choose one of your categories")
            self.category.setFocus()
            return None
        foreign = currency != self.base_currency
        try:
            charged = charged_amount(self.charged, amount) if foreign else None
            tags = self.tags.tags()
            refund_of = self.refund.refund_of() if amount < 0 else None
        except FieldError as error:
            self.errors.set(re.sub(r"\[\d+\]$", "", error.field), error.reason)
            return None
        except LookupError as error:
            self.errors.set("refund_of", str(error))
            return None
        return {
            "amount": amount,
            "currency": currency,
            "base_amount": charged,
            "spent_on": self._day(),
            "category_id": category_id,
            "splits": splits,
            "description": self.description.text(),
            "tags": tags,
            "refund_of": refund_of,
            "notes": self.notes.toPlainText(),
        }

    def save(self, overwrite: bool = False) -> None:
        self.errors.clear()
        self.banner.hide()
        body = self.fields()
        if body is None:
            return
        try:
            op = save_expense(self.expense, body, self._key_for(body), overwrite=overwrite)
        except FieldError as error:  # what the server would refuse, said without asking it
            self.errors.set(self._row_of(error.field), error.reason)
            return
        self._saving = True
        self._update_save()
        self.operations.run(op, self, self._saved, self._failed)

    @staticmethod
    def _row_of(field: str) -> str:
        name = re.sub(r"\[\d+\]$", "", field.split(".")[0])
        return FIELD_ALIASES.get(name, name)

    def _key_for(self, body: dict[str, Any]) -> str:
        if self._idempotency is None or self._idempotency[0] != body:
            self._idempotency = (body, str(uuid.uuid4()))
        return self._idempotency[1]

    def _saved(self, results: list[Expense | None] | None) -> None:
        self._saving = False
        self._update_save()
        rule_offer.offer_rule(self, self.expense, results)  # "Always categorise …?"
        self.saved.emit(results[0] if results else None)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._saving = False
        self._update_save()
        if isinstance(error, ServerUnreachable) or not isinstance(error, ApiError):
            self.banner.show_error(error, self.save)
            return
        if error.status == 412:
            self.banner.show_message(
                "Someone changed this expense since you opened it. Save anyway to overwrite?",
                lambda: self.save(overwrite=True),
                "Overwrite",
                error=True,
            )
            return
        messages = {self._row_of(f.field): f.message for f in error.errors if f.field}
        leftovers = self.errors.show_all(messages)
        if leftovers or not messages:
            self.banner.show_message(str(error), error=True)
