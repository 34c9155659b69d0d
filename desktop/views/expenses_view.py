"""The expenses table and what you do to its rows: add, edit, delete, sort, recategorise.

Every change is an ``Op`` run by the window's ``OperationRunner`` (undo, offline
queue); this view refreshes in ``op_executed``. Pages come from the server in the
chosen column's order, or from the local cache when the server cannot be reached.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ServerUnreachable
from desktop.filters import ExpenseQuery
from desktop.local.store import page_key
from desktop.models.categories import CategoryListModel
from desktop.models.expenses import (
    DATE,
    SORT_KEYS,
    ExpenseTableModel,
    Sort,
    is_pending,
)
from desktop.operations import Changes, Op
from desktop.operations.expenses import delete_expenses, recategorise
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.views.expense_dialog import ExpenseDialog
from desktop.views.expense_table import ExpenseTable
from desktop.workers import Runner
from wire.categories import Category
from wire.expenses import Expense, ExpensePage


def confirm_delete(parent: QWidget, count: int) -> bool:
    """Ask before deleting (tests replace this function)."""
    noun = "this expense" if count == 1 else f"these {count} expenses"
    answer = QMessageBox.question(
        parent,
        "Delete expenses",
        f"Move {noun} to the trash? Undo (Ctrl+Z) or the Trash view brings them back.",
        QMessageBox.StandardButton.Delete | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Delete


def ask_category(parent: QWidget, categories: list[Category]) -> Category | None:
    """Which category to move the selection to (tests replace this function)."""
    names = [category.name for category in categories]
    name, ok = QInputDialog.getItem(parent, "Move to category", "Category:", names, 0, False)
    return next((c for c in categories if c.name == name), None) if ok else None


def _noun(count: int) -> str:
    return "1 expense" if count == 1 else f"{count} expenses"


class ExpensesView(QWidget):
    changed = Signal()  # expenses were added, edited or deleted
    failed = Signal(object, object)  # error, retry callable or None
    sortChanged = Signal(object)  # Sort: the window keeps it in the settings
    notice = Signal(str, bool)  # toast text, offer Undo

    def __init__(
        self,
        session: Session,
        runner: Runner,
        categories: CategoryListModel,
        operations: OperationRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.categories = session, runner, categories
        self.operations = operations or OperationRunner(lambda: session.client, runner)
        self.operations.executed.connect(self.op_executed)
        self.currency = "USD"
        self.model = ExpenseTableModel(self._fetch_page, runner, self)
        self.table = ExpenseTable(self.model)
        self.table.horizontalHeader().sectionClicked.connect(self._header_clicked)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.empty = QLabel("No expenses match these filters.", self.table.viewport())
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)  # drawn in the palette's disabled (muted) colour
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.model.rowsRemoved.connect(self._update_empty)
        self.model.loadingChanged.connect(self._update_empty)
        self.model.loadFailed.connect(lambda error: self.failed.emit(error, self.model.retry))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.dialog: ExpenseDialog | None = None

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.empty.resize(self.table.viewport().size())

    def _update_empty(self) -> None:
        self.empty.resize(self.table.viewport().size())
        self.empty.setVisible(self.model.rowCount() == 0 and not self.model.loading)

    def set_query(self, query: ExpenseQuery) -> None:
        self.model.set_query(query)

    # --- pages: the server's, else the cache --------------------------------------
    def _fetch_page(self, query: ExpenseQuery, cursor: str | None, sort: Sort) -> ExpensePage:
        """Worker: one page; saved for offline use, or read back when offline."""
        store, key = self.operations.store, page_key(query.params(), sort)
        try:
            page = self.session.client.expenses(query, cursor, sort=sort[0], order=sort[1])  # type: ignore[arg-type]
        except ServerUnreachable:
            cached = store.page(key, cursor)
            if cached is None:
                raise
            self.operations.note_unreachable()
            return cached
        self.operations.note_reachable()
        store.save_page(key, cursor, page)
        return page

    def show_cached(self, query: ExpenseQuery) -> bool:
        """Start-up: the last run's first page at once, before any request (item 6)."""
        page = self.operations.store.page(page_key(query.params(), self.model.sort), None)
        if page is not None:
            self.model.show_cached(page)
            self._update_empty()
        return page is not None

    # --- sorting --------------------------------------------------------------------
    def _header_clicked(self, column: int) -> None:
        key = SORT_KEYS.get(column)
        if key is None:  # not sortable on the server: keep the indicator where it was
            self._show_sort(self.model.sort)
            return
        current_key, current_order = self.model.sort
        if key == current_key:
            order = "asc" if current_order == "desc" else "desc"
        else:  # numbers and dates start high, text starts at A
            order = "desc" if key in ("spent_on", "amount") else "asc"
        self.sort_by((key, order))

    def sort_by(self, sort: Sort) -> None:
        self._show_sort(sort)
        self.model.set_sort(sort)
        self.sortChanged.emit(sort)

    def _show_sort(self, sort: Sort) -> None:
        column = next((c for c, key in SORT_KEYS.items() if key == sort[0]), DATE)
        order = Qt.SortOrder.AscendingOrder if sort[1] == "asc" else Qt.SortOrder.DescendingOrder
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, order)
        header.blockSignals(False)

    def selected_expenses(self) -> list[Expense]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        # A row still waiting to be sent has no id on the server yet: nothing to change.
        return [e for e in (self.model.expense(row) for row in rows) if not is_pending(e)]

    # --- add / edit ---------------------------------------------------------------
    def new_expense(self) -> ExpenseDialog:
        return self._open_dialog(None)

    def edit_selected(self) -> ExpenseDialog | None:
        selected = self.selected_expenses()
        return self._open_dialog(selected[0]) if selected else None

    def _open_dialog(self, expense: Expense | None) -> ExpenseDialog:
        dialog = ExpenseDialog(
            self.session.client,
            self.runner,
            self.categories,
            self.currency,
            expense,
            self,
            operations=self.operations,
        )
        dialog.saved.connect(lambda saved: self._saved(expense, saved))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()  # window-modal without a nested event loop
        return dialog

    def _saved(self, before: Expense | None, after: Expense | None) -> None:
        if after is None:  # queued offline: show the edit now, the server gets it later
            self.notice.emit("Saved on this computer — it will be sent when online.", False)
            fields = self.dialog.fields() if self.dialog is not None else None
            if fields is None:
                return
            if before is not None:
                self.model.replace(msgspec.structs.replace(before, **fields))
            else:  # on top, marked as waiting, until the server has it
                names = {c.id: c.name for c in self.categories.categories}
                self.model.add_pending(fields, names.get(fields["category_id"], ""))
            return
        if before is not None and before.spent_on == after.spent_on:
            self.model.replace(after)  # same place in the order: no reload, no jump
        else:
            self.model.reload()
        self.changed.emit()

    # --- delete, recategorise -------------------------------------------------------
    def delete_selected(self, confirm: Callable[[QWidget, int], bool] | None = None) -> None:
        expenses = self.selected_expenses()
        if not expenses or not (confirm or confirm_delete)(self, len(expenses)):
            return
        self._run(delete_expenses(expenses), f"Deleted {_noun(len(expenses))}", removes=True)

    def recategorise_selected(self) -> None:
        expenses = self.selected_expenses()
        categories = self.categories.categories
        if not expenses or not categories:
            return
        category = ask_category(self, categories)
        if category is None:
            return
        op = recategorise(expenses, category.id, category.name)
        self._run(op, f"Moved {_noun(len(expenses))} to {category.name}", removes=False)

    def _run(self, op: Op, done: str, *, removes: bool) -> None:
        """Run a change of the selected rows; update them in place (no scroll jump)."""
        before = {expense.id: expense for expense in self.selected_expenses()}

        def finished(results: list[Expense | None] | None) -> None:
            if removes:
                self.model.remove_ids(set(before))
            elif results is not None:
                for expense in results:
                    if expense is not None:
                        self.model.replace(expense)
            else:  # offline: show the new values now; the server gets them later
                for call in op.calls:
                    if call.before is not None and call.body:
                        self.model.replace(msgspec.structs.replace(call.before, **call.body))
            self.changed.emit()
            self.notice.emit(done if results is not None else f"{done} (offline)", True)

        self.operations.run(op, self, finished, lambda error: self.failed.emit(error, None))

    def op_executed(self, changes: int, initiator: object) -> None:
        """Any op, from anywhere (undo, trash, sync): reload what it changed."""
        if (
            not changes & Changes.EXPENSES
            or initiator is self
            or isinstance(initiator, ExpenseDialog)
        ):
            return  # placed in the rows already by _run / _saved
        self.model.reload()
        self.changed.emit()

    def select_row(self, row: int) -> None:
        """Select exactly ``row`` (``selectRow`` would honour a held Ctrl or Shift)."""
        index = self.model.index(row, 0, QModelIndex())
        flags = QItemSelectionModel.SelectionFlag
        selection = self.table.selectionModel()
        selection.setCurrentIndex(index, flags.ClearAndSelect | flags.Rows)
