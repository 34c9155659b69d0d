"""Add or edit one expense. A failed save keeps the dialog open, input intact.

The dialog turns its input into an ``Op`` (operations/expenses.py) and waits for the
``OperationRunner``'s answer, so it can stay open and show the server's field errors
next to the fields; with no server the op is queued and the dialog closes. One
Idempotency-Key per distinct body: a retried or replayed save creates one expense.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.client import ApiClient
from desktop.errors import ApiError, ServerUnreachable
from desktop.filters import today
from desktop.models.categories import CategoryListModel, IdRole
from desktop.money import parse_money
from desktop.operations.expenses import save_expense
from desktop.operations.runner import OperationRunner
from desktop.views.banner import Banner
from desktop.views.forms import FieldErrors
from desktop.workers import Runner
from wire.expenses import Expense
from wire.validation import FieldError

FIELD_ALIASES = {"category": "category_id"}


class ExpenseDialog(QDialog):
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
        self.operations = operations or OperationRunner(lambda: client, runner)
        self.setWindowTitle("Edit expense" if expense else "New expense")
        self.setMinimumWidth(440)
        self.banner = Banner()
        self.amount = QLineEdit(placeholderText="0.00")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.currency = QLabel(currency)
        self.spent_on = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.category = QComboBox()
        self.category.setModel(categories)
        self.category.setMinimumWidth(200)
        self.description = QLineEdit(placeholderText="What was it?")
        self.description.setMaxLength(500)
        self.notes = QPlainTextEdit(placeholderText="Optional notes")
        self.notes.setFixedHeight(72)
        self.notes.setTabChangesFocus(True)
        self.errors = FieldErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.errors.add_row(form, f"Amount ({currency})", "amount", self.amount)
        self.errors.add_row(form, "Date", "spent_on", self.spent_on)
        self.errors.add_row(form, "Category", "category_id", self.category)
        self.errors.add_row(form, "Description", "description", self.description)
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
        self._fill(expense, categories)
        self.amount.setFocus()

    def _fill(self, expense: Expense | None, categories: CategoryListModel) -> None:
        day = expense.spent_on if expense else today()
        self.spent_on.setDate(QDate(day.year, day.month, day.day))
        if expense is None:
            return
        self.amount.setText(str(expense.amount).replace(".", self.locale().decimalPoint()))
        self.category.setCurrentIndex(max(0, categories.row_of(expense.category_id)))
        self.description.setText(expense.description)
        self.notes.setPlainText(expense.notes)

    def fields(self) -> dict[str, Any] | None:
        """The body to send, or None when the amount is not a number at all."""
        amount = parse_money(self.amount.text(), self.locale())
        if amount is None:
            self.errors.set("amount", "Enter an amount like 12.50")
            self.amount.setFocus()
            return None
        qdate = self.spent_on.date()
        return {
            "amount": amount,
            "spent_on": date(qdate.year(), qdate.month(), qdate.day()),
            "category_id": self.category.currentData(IdRole),
            "description": self.description.text(),
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
            self.errors.set(FIELD_ALIASES.get(error.field, error.field), error.reason)
            return
        self.save_button.setEnabled(False)
        self.operations.run(op, self, self._saved, self._failed)

    def _key_for(self, body: dict[str, Any]) -> str:
        if self._idempotency is None or self._idempotency[0] != body:
            self._idempotency = (body, str(uuid.uuid4()))
        return self._idempotency[1]

    def _saved(self, results: list[Expense | None] | None) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(results[0] if results else None)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
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
        messages = {FIELD_ALIASES.get(k, k): v for k, v in error.field_messages().items()}
        leftovers = self.errors.show_all(messages)
        if leftovers or not messages:
            self.banner.show_message(str(error), error=True)
