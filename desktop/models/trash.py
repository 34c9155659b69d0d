"""The trash: deleted expenses, most recently deleted first, paged like the main table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.models.expenses import COLUMNS, ExpenseTableModel, TaskRunner
from wire.expenses import TrashedExpense, TrashPage

Index = QModelIndex | QPersistentModelIndex
DELETED = len(COLUMNS)  # one more column: when it went to the trash


class TrashTableModel(ExpenseTableModel):
    """The expenses table's paging and formatting, over ``GET /expenses/trash``."""

    def __init__(
        self, fetch: Callable[[str | None], TrashPage], runner: TaskRunner, parent: Any = None
    ) -> None:
        super().__init__(lambda _query, cursor, _sort: fetch(cursor), runner, parent)  # type: ignore[arg-type,return-value]

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if section == DELETED and orientation == Qt.Orientation.Horizontal:
            return "Deleted" if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == DELETED:
            if role != Qt.ItemDataRole.DisplayRole or not 0 <= index.row() < self.rowCount():
                return None
            expense = self.expense(index.row())
            if not isinstance(expense, TrashedExpense):
                return None
            when = expense.deleted_at.astimezone()
            return when.strftime("%Y-%m-%d %H:%M")
        return super().data(index, role)
