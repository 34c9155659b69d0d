""" "Refund of…": the positive expense a refund returns, found by description or date.

The list starts with the recent expenses the dialog loaded anyway; typing searches
the server too (debounced, off the GUI thread), so an older purchase is found by
its description. Only positive expenses are offered: a refund returns a purchase.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QCompleter, QSizePolicy, QWidget

from desktop.client import ApiClient
from desktop.filters import ExpenseQuery
from desktop.money import format_money
from desktop.workers import Runner
from wire.expenses import Expense, ExpensePage

NONE = "None"
SEARCH_DEBOUNCE_MS = 300
SEARCH_SIZE = 50  # matches fetched per search: more than a popup shows


def label(expense: Expense) -> str:
    what = expense.description or expense.category
    money = format_money(expense.amount, expense.currency)
    return f"{expense.spent_on.isoformat()} · {what} · {money}"


class RefundPicker(QComboBox):
    def __init__(self, client: ApiClient, runner: Runner, own_id: int | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.client, self.runner, self.own_id = client, runner, own_id
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumContentsLength(24)
        self.lineEdit().setPlaceholderText("Search your expenses by description or date")
        self.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setAccessibleName("Refund of")
        self.addItem(NONE, None)
        self._ids: set[int] = set()
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._timer.timeout.connect(self._search)
        self.lineEdit().textEdited.connect(lambda _text: self._timer.start())
        self._channel = f"refund-search-{id(self)}"

    def add_candidates(self, expenses: Iterable[Expense]) -> None:
        """Offer these (positive ones, not the expense being edited), newest first."""
        text = self.currentText()
        for expense in expenses:
            if expense.id in self._ids:  # known by id only until now: name it
                self.setItemText(self.findData(expense.id), label(expense))
            elif expense.amount > 0 and expense.id != self.own_id:
                self._ids.add(expense.id)
                self.addItem(label(expense), expense.id)
        self.setEditText(text)  # adding items must not change what the user typed

    def set_refund_id(self, expense_id: int) -> None:
        """An edited refund's link, before (or without) the expense it names loading."""
        if expense_id not in self._ids:
            self._ids.add(expense_id)
            self.addItem(f"Expense #{expense_id}", expense_id)
        self.setCurrentIndex(self.findData(expense_id))

    def set_refund_of(self, expense: Expense | None) -> None:
        if expense is None:
            self.setCurrentIndex(0)
            return
        self.add_candidates([expense])
        if expense.id in self._ids:
            self.setCurrentIndex(self.findData(expense.id))

    def refund_of(self) -> int | None:
        """The chosen expense's id; None for none. ``LookupError`` for text that names none."""
        text = self.currentText().strip()
        if not text or text.casefold() == NONE.casefold():
            return None
        row = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if row < 0:
            raise LookupError("Choose one of the expenses listed (type to search)")
        return self.itemData(row)

    def _search(self) -> None:
        text = self.currentText().strip()
        if len(text) < 2 or self.findText(text, Qt.MatchFlag.MatchFixedString) >= 0:
            return
        client, query = self.client, ExpenseQuery(text=text)
        self.runner.submit(
            lambda: client.expenses(query, limit=SEARCH_SIZE),
            self._found,
            lambda _error: None,  # the recent ones are still offered
            channel=self._channel,
            owner=self,
        )

    def _found(self, page: ExpensePage) -> None:
        self.add_candidates(page.items)
        if self.lineEdit().hasFocus():
            self.completer().setCompletionPrefix(self.currentText())
            self.completer().complete()
