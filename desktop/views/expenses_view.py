"""The expenses table and what you do to its rows: add, edit, delete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ApiError
from desktop.filters import ExpenseQuery
from desktop.models.categories import CategoryListModel
from desktop.models.expenses import AMOUNT, CATEGORY, DATE, DESCRIPTION, NOTES, ExpenseTableModel
from desktop.session import Session
from desktop.views.expense_dialog import ExpenseDialog
from desktop.workers import Runner
from wire.expenses import Expense

ROW_HEIGHT = 30


def confirm_delete(parent: QWidget, count: int) -> bool:
    """Ask before deleting (tests replace this function)."""
    noun = "this expense" if count == 1 else f"these {count} expenses"
    answer = QMessageBox.question(
        parent,
        "Delete expenses",
        f"Delete {noun}? This cannot be undone.",
        QMessageBox.StandardButton.Delete | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Delete


class ExpenseTable(QTableView):
    """Fixed row height and no content-sized columns: 100k rows stay instant."""

    def __init__(self, model: ExpenseTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Expenses")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for column, width in ((DATE, 110), (CATEGORY, 160), (AMOUNT, 130), (NOTES, 260)):
            self.setColumnWidth(column, width)
        # The server's order (newest first) is the only order: no clickable headers
        # pretending otherwise, and no client-side sorting of a partial list.
        header.setSectionsClickable(False)
        header.setToolTip("Newest first")
        # Breathing room inside cells; a flat header that matches the cards.
        self.setStyleSheet(
            "QTableView { border: 1px solid palette(mid); border-radius: 6px; }"
            "QTableView::item { padding: 0 10px; border: none; }"
            "QHeaderView::section { background: palette(base); padding: 6px 10px;"
            " border: none; border-bottom: 1px solid palette(mid); font-weight: 600; }"
        )


class ExpensesView(QWidget):
    changed = Signal()  # expenses were added, edited or deleted
    failed = Signal(object, object)  # error, retry callable or None

    def __init__(
        self,
        session: Session,
        runner: Runner,
        categories: CategoryListModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.categories = session, runner, categories
        self.currency = "USD"
        self.model = ExpenseTableModel(
            lambda query, cursor: self.session.client.expenses(query, cursor), runner, self
        )
        self.table = ExpenseTable(self.model)
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

    def selected_expenses(self) -> list[Expense]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [self.model.expense(row) for row in rows]

    # --- add / edit ---------------------------------------------------------------
    def new_expense(self) -> ExpenseDialog:
        return self._open_dialog(None)

    def edit_selected(self) -> ExpenseDialog | None:
        selected = self.selected_expenses()
        return self._open_dialog(selected[0]) if selected else None

    def _open_dialog(self, expense: Expense | None) -> ExpenseDialog:
        dialog = ExpenseDialog(
            self.session.client, self.runner, self.categories, self.currency, expense, self
        )
        dialog.saved.connect(lambda saved: self._saved(expense, saved))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()  # window-modal without a nested event loop
        return dialog

    def _saved(self, before: Expense | None, after: Expense) -> None:
        if before is not None and before.spent_on == after.spent_on:
            self.model.replace(after)  # same place in the order: no reload, no jump
        else:
            self.model.reload()
        self.changed.emit()

    # --- delete -------------------------------------------------------------------
    def delete_selected(self, confirm: Callable[[QWidget, int], bool] | None = None) -> None:
        expenses = self.selected_expenses()
        if not expenses or not (confirm or confirm_delete)(self, len(expenses)):
            return
        ids = [expense.id for expense in expenses]
        client = self.session.client

        def work() -> tuple[set[int], Exception | None]:
            deleted: set[int] = set()
            for expense_id in ids:
                try:
                    client.delete_expense(expense_id)
                except ApiError as error:
                    if error.status != 404:  # already gone counts as deleted
                        return deleted, error
                deleted.add(expense_id)
            return deleted, None

        self.runner.submit(work, self._deleted)

    def _deleted(self, outcome: tuple[set[int], Exception | None]) -> None:
        deleted, error = outcome
        self.model.remove_ids(deleted)
        if deleted:
            self.changed.emit()
        if error is not None:
            self.failed.emit(error, lambda: self.delete_selected(lambda *_: True))

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.setCurrentIndex(self.model.index(row, 0, QModelIndex()))
