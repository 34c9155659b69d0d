"""Add or edit one expense. A failed save keeps the dialog open, input intact.

The dialog turns its input into an ``Op`` (operations/expenses.py) and waits for the
``OperationRunner``'s answer, so it can stay open and show the server's field errors
next to the fields; with no server the op is queued and the dialog closes. One
Idempotency-Key per distinct body: a retried or replayed save creates one expense.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
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

from desktop.amount_expression import ExpressionError, evaluate, looks_like_expression
from desktop.client import ApiClient
from desktop.errors import ApiError, ServerUnreachable
from desktop.filters import ExpenseQuery, today
from desktop.models.categories import CategoryListModel, IdRole
from desktop.money import parse_money
from desktop.operations.expenses import save_expense
from desktop.operations.runner import OperationRunner
from desktop.views import rule_offer
from desktop.views.banner import Banner
from desktop.views.forms import FieldErrors
from desktop.workers import Runner
from wire.expenses import Expense
from wire.validation import MAX_DESCRIPTION, FieldError

FIELD_ALIASES = {"category": "category_id"}
HISTORY_SIZE = 500  # recent expenses whose descriptions complete (one request)


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
        self.amount = QLineEdit(placeholderText="0.00 or 12.50+3.20")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setToolTip("Arithmetic works: 12.50+3.20, 3*4.99, (20-2.5)/2")
        self.amount.editingFinished.connect(self._calculate)
        self.currency = QLabel(currency)
        self.spent_on = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.category = QComboBox()
        self.category.setModel(categories)
        self.category.setMinimumWidth(200)
        # Type-ahead: typing "gro" offers Groceries; only listed categories are saved.
        self.category.setEditable(True)
        self.category.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.category.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.description = QLineEdit(placeholderText="What was it?")
        self.description.setMaxLength(MAX_DESCRIPTION)
        self._last_category: dict[str, int] = {}  # description → its latest category
        self.history = QStringListModel(self)
        completer = QCompleter(self.history, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._description_chosen)
        self.description.setCompleter(completer)
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
        self._next = False  # Ctrl+Enter: after this save, start another expense
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save_and_next)
        self.save_button.setToolTip("Save (Enter); Ctrl+Enter saves and starts the next one")
        self.setTabOrder(self.amount, self.spent_on)
        self.setTabOrder(self.spent_on, self.category)
        self.setTabOrder(self.category, self.description)
        self.setTabOrder(self.description, self.notes)
        self._fill(expense, categories)
        self.amount.setFocus()
        self._load_history()

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
        """The body to send, or None when the amount or category cannot be read."""
        amount = self.amount_value()
        if amount is None:
            self.amount.setFocus()
            return None
        category_id = self.category_id()
        if category_id is None:
            self.errors.set("category_id", "Choose one of your categories")
            self.category.setFocus()
            return None
        qdate = self.spent_on.date()
        return {
            "amount": amount,
            "spent_on": date(qdate.year(), qdate.month(), qdate.day()),
            "category_id": category_id,
            "description": self.description.text(),
            "notes": self.notes.toPlainText(),
        }

    # --- keyboard-first entry -----------------------------------------------------------
    # The amount takes arithmetic (12.50+3.20), Ctrl+Enter saves a new expense and starts
    # the next one (date and category kept), category and description complete from
    # history. Saving itself is above; accept() below turns "close" into "next".
    def amount_value(self) -> Decimal | None:
        """The amount typed, calculated when it is arithmetic; None (and a message) if not."""
        text = self.amount.text()
        if looks_like_expression(text):
            try:
                return evaluate(text, self.locale().decimalPoint())
            except ExpressionError as error:
                self.errors.set("amount", str(error))
                return None
        amount = parse_money(text, self.locale())
        if amount is None:
            self.errors.set("amount", "Enter an amount like 12.50 or 3*4.99")
        return amount

    def _calculate(self) -> None:
        """Leaving the field shows the result of a calculation, so the user sees it."""
        if not looks_like_expression(self.amount.text()):
            return
        self.errors.set("amount", "")
        amount = self.amount_value()
        if amount is not None:
            self.amount.setText(str(amount).replace(".", self.locale().decimalPoint()))

    def category_id(self) -> int | None:
        """The chosen category; typed text must name one (case-insensitive)."""
        row = self.category.findText(
            self.category.currentText().strip(), Qt.MatchFlag.MatchFixedString
        )
        if row < 0:
            return None
        self.category.setCurrentIndex(row)
        return self.category.itemData(row, IdRole)

    def save_and_next(self) -> None:
        """Ctrl+Enter: save, then a fresh form for the next expense (new ones only)."""
        self._next = self.expense is None
        self.save()

    def accept(self) -> None:
        """A save finished (sent or queued): close, or after Ctrl+Enter start the next."""
        if self._next:
            self._start_next()
        else:
            super().accept()

    def _start_next(self) -> None:
        self._next = False
        self._idempotency = None
        for field in (self.amount, self.description):
            field.clear()
        self.notes.clear()
        self.banner.show_message("Saved. Next expense — same date and category.")
        self.amount.setFocus()

    def _load_history(self) -> None:
        client = self.client
        self.runner.submit(
            lambda: client.expenses(ExpenseQuery(), limit=HISTORY_SIZE),
            self._history_loaded,
            lambda _error: None,  # no suggestions is fine; saving will say if offline
            owner=self,
        )

    def _history_loaded(self, page: Any) -> None:  # an ExpensePage
        for item in reversed(page.items):  # newest last, so it wins
            if item.description:
                self._last_category[item.description.casefold()] = item.category_id
        seen = dict.fromkeys(item.description for item in page.items if item.description)
        self.history.setStringList(list(seen))

    def _description_chosen(self, text: str) -> None:
        category_id = self._last_category.get(text.casefold())
        row = self.category.model().row_of(category_id) if category_id else -1  # type: ignore[attr-defined]
        if row >= 0:
            self.category.setCurrentIndex(row)

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
        rule_offer.offer_rule(self, self.expense, results)  # "Always categorise …?"
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
