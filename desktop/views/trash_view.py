"""The Trash: deleted expenses, with Restore and "Delete forever" (both are ops)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.models.trash import DELETED, TrashTableModel
from desktop.operations import Changes, Op
from desktop.operations.expenses import purge_expenses, restore_expenses
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.views.expense_table import ExpenseTable
from desktop.workers import Runner
from wire.expenses import Expense


def confirm_purge(parent: QWidget, count: int) -> bool:
    """Ask before deleting for good (tests replace this function)."""
    noun = "this expense" if count == 1 else f"these {count} expenses"
    answer = QMessageBox.warning(
        parent,
        "Delete forever",
        f"Delete {noun} forever? This cannot be undone.",
        QMessageBox.StandardButton.Delete | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Delete


class TrashView(QWidget):
    failed = Signal(object, object)  # error, retry callable or None
    notice = Signal(str, bool)  # toast text, offer Undo

    def __init__(
        self,
        session: Session,
        runner: Runner,
        operations: OperationRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.operations = session, operations
        self.model = TrashTableModel(lambda cursor: session.client.trash(cursor), runner, self)
        self.model.loadFailed.connect(lambda error: self.failed.emit(error, self.model.retry))
        self.table = ExpenseTable(self.model)  # type: ignore[arg-type]
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(False)
        header.setSectionsClickable(False)  # the trash has one order: last deleted first
        self.table.setColumnWidth(DELETED, 150)
        self.table.setAccessibleName("Deleted expenses")
        self.restore_button = QPushButton("Restore")
        self.purge_button = QPushButton("Delete forever")
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button.clicked.connect(lambda: self.purge_selected())
        self.empty = QLabel("The trash is empty.", self.table.viewport())
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved,
                       self.model.loadingChanged):  # fmt: skip
            signal.connect(self._update)
        self.table.selectionModel().selectionChanged.connect(self._update)
        note = QLabel("Deleted expenses stay here for 30 days.")
        note.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(note)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.purge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        operations.executed.connect(self.op_executed)
        self.loaded = False
        self._update()

    def load(self) -> None:
        self.loaded = True
        self.model.reload()

    def op_executed(self, changes: int, _initiator: object) -> None:
        if changes & Changes.TRASH and self.loaded:
            self.model.reload()

    def selected(self) -> list[Expense]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.expense(row) for row in rows]

    def restore_selected(self) -> None:
        expenses = self.selected()
        if expenses:
            count = len(expenses)
            self._run(restore_expenses(expenses), f"Restored {_noun(count)}", True)

    def purge_selected(self, confirm: Callable[[QWidget, int], bool] | None = None) -> None:
        expenses = self.selected()
        if expenses and (confirm or confirm_purge)(self, len(expenses)):
            count = len(expenses)
            self._run(purge_expenses(expenses), f"Deleted {_noun(count)} forever", False)

    def _run(self, op: Op, done: str, undoable: bool) -> None:
        ids = {call.expense_id for call in op.calls}

        def finished(_results: object) -> None:
            self.model.remove_ids({i for i in ids if i is not None})
            self.notice.emit(done, undoable)

        self.operations.run(op, self, finished, lambda error: self.failed.emit(error, None))

    def _update(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.empty.resize(self.table.viewport().size())
        self.empty.setVisible(not has_rows and not self.model.loading)
        chosen = self.table.selectionModel().hasSelection()
        self.restore_button.setEnabled(chosen)
        self.purge_button.setEnabled(chosen)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.empty.resize(self.table.viewport().size())


def _noun(count: int) -> str:
    return "1 expense" if count == 1 else f"{count} expenses"
