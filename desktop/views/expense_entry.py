"""Keyboard-first entry for the expense dialog, and what it loads in the background.

The amount takes arithmetic (12.50+3.20), Ctrl+Enter saves a new expense and starts
the next one (date and category kept), category and description complete from
history. One read of the recent expenses feeds the description completion, the
recent currencies and the "refund of…" candidates; the tags are a second read.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCompleter, QDialog

from desktop.amount_expression import ExpressionError, looks_like_expression, read_amount
from desktop.filters import ExpenseQuery
from desktop.models.categories import IdRole

if TYPE_CHECKING:
    from desktop.views.expense_dialog import ExpenseDialog

HISTORY_SIZE = 500  # recent expenses whose descriptions complete (one request)


class KeyboardEntry:
    """Mixed into ``ExpenseDialog`` (before ``QDialog``)."""

    def setup_entry(self: ExpenseDialog) -> None:
        self._next = False  # Ctrl+Enter: after this save, start another expense
        self._last_category: dict[str, int] = {}  # description → its latest category
        self.history = QStringListModel(self)
        completer = QCompleter(self.history, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._description_chosen)
        self.description.setCompleter(completer)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save_and_next)
        self._tab_order()

    def _tab_order(self: ExpenseDialog) -> None:
        """Reading order; Tab skips the rows that are hidden or disabled until they apply."""
        chain = [self.amount, self.currency, self.charged, self.spent_on, self.category,
                 self.split_button, self.splits.add_button, self.description, self.tags,
                 self.refund, self.notes]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)
        self.splits.between = (self.split_button, self.description)  # its parts go between

    # --- the amount -------------------------------------------------------------------
    def read_quiet(self: ExpenseDialog, text: str) -> Decimal | None:
        try:
            return read_amount(text, self.locale())
        except ExpressionError:
            return None

    def quiet_amount(self: ExpenseDialog) -> Decimal | None:
        """The amount as typed so far, for live hints; None while it is not one."""
        amount = self.read_quiet(self.amount.text())
        return amount if amount is not None and amount.is_finite() else None

    def amount_value(self: ExpenseDialog) -> Decimal | None:
        """The amount typed, calculated when it is arithmetic; None (and a message) if not."""
        try:
            amount = read_amount(self.amount.text(), self.locale())
        except ExpressionError as error:
            self.errors.set("amount", str(error))
            return None
        if amount is None:
            self.errors.set("amount", "Enter an amount like 12.50 or 3*4.99")
        return amount

    def _calculate(self: ExpenseDialog) -> None:
        """Leaving the field shows the result of a calculation, so the user sees it."""
        if not looks_like_expression(self.amount.text()):
            return
        self.errors.set("amount", "")
        amount = self.amount_value()
        if amount is not None:
            self.amount.setText(str(amount).replace(".", self.locale().decimalPoint()))

    # --- the category -----------------------------------------------------------------
    def category_id_quiet(self: ExpenseDialog) -> int | None:
        row = self.category.findText(
            self.category.currentText().strip(), Qt.MatchFlag.MatchFixedString
        )
        return self.category.itemData(row, IdRole) if row >= 0 else None

    def category_id(self: ExpenseDialog) -> int | None:
        """The chosen category; typed text must name one (case-insensitive)."""
        row = self.category.findText(
            self.category.currentText().strip(), Qt.MatchFlag.MatchFixedString
        )
        if row < 0:
            return None
        self.category.setCurrentIndex(row)
        return self.category.itemData(row, IdRole)

    # --- save and next ----------------------------------------------------------------
    def save_and_next(self: ExpenseDialog) -> None:
        """Ctrl+Enter: save, then a fresh form for the next expense (new ones only)."""
        self._next = self.expense is None
        self.save()

    def accept(self: ExpenseDialog) -> None:
        """A save finished (sent or queued): close, or after Ctrl+Enter start the next."""
        if self._next:
            self._start_next()
        else:
            QDialog.accept(self)

    def _start_next(self: ExpenseDialog) -> None:
        self._next = False
        self._idempotency = None
        for field in (self.amount, self.description, self.charged, self.tags):
            field.clear()
        self.notes.clear()
        self.split_button.setChecked(False)
        self.refund.set_refund_of(None)
        self.banner.show_message("Saved. Next expense — same date, category and currency.")
        self.amount.setFocus()

    # --- background reads -------------------------------------------------------------
    def _load_history(self: ExpenseDialog) -> None:
        client = self.client
        self.runner.submit(
            lambda: client.expenses(ExpenseQuery(), limit=HISTORY_SIZE),
            self._history_loaded,
            lambda _error: None,  # no suggestions is fine; saving will say if offline
            owner=self,
        )

    def _history_loaded(self: ExpenseDialog, page: Any) -> None:  # an ExpensePage
        for item in reversed(page.items):  # newest last, so it wins
            if item.description:
                self._last_category[item.description.casefold()] = item.category_id
        seen = dict.fromkeys(item.description for item in page.items if item.description)
        self.history.setStringList(list(seen))
        self.currency.set_recent(item.currency for item in page.items if item.currency)
        self.refund.add_candidates(page.items)

    def _load_tags(self: ExpenseDialog) -> None:
        client = self.client
        self.runner.submit(client.tags, self.tags.set_known, lambda _error: None, owner=self)

    def _load_refunded(self: ExpenseDialog, expense_id: int) -> None:
        """The expense this refund returns, shown even when it is not a recent one."""
        client = self.client
        self.runner.submit(
            lambda: client.expense(expense_id),
            self.refund.set_refund_of,
            lambda _error: None,  # in the trash, say: saving sends what the user picks
            owner=self,
        )

    def _description_chosen(self: ExpenseDialog, text: str) -> None:
        category_id = self._last_category.get(text.casefold())
        row = self.category.model().row_of(category_id) if category_id else -1  # type: ignore[attr-defined]
        if row >= 0:
            self.category.setCurrentIndex(row)
