"""Recurring expenses as tables: the dashboard's upcoming occurrences, the plans, and the
suggestions found in the history. Small lists (a few dozen rows): plain reset models."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.models.flat import FlatTableModel
from desktop.money import format_money
from desktop.views.theme import tones
from wire.recurring import Occurrence, Recurring, Suggestion

Index = QModelIndex | QPersistentModelIndex
ItemRole = Qt.ItemDataRole.UserRole + 1
T = TypeVar("T")
RECORD = "Record now"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def every_text(every: str, interval: int) -> str:
    return f"every {every}" if interval == 1 else f"every {interval} {every}s"


class _ListModel(FlatTableModel, Generic[T]):
    AMOUNT = -1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[T] = []
        self.category_names: dict[int, str] = {}

    def set_items(self, items: list[T]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, row: int) -> T:
        return self.items[row]

    def shown(self) -> list[Any]:
        return self.items

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == ItemRole:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(item, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.AMOUNT:
            return RIGHT
        return self.styled(item, index.column(), role)

    def text(self, item: T, column: int) -> str:
        raise NotImplementedError

    def styled(self, item: T, column: int, role: int) -> Any:
        return None


class UpcomingModel(_ListModel[Occurrence]):
    COLUMNS = ("Due", "Description", "Amount", "Status", "")
    DUE, DESCRIPTION, AMOUNT, STATUS, ACTION = range(5)

    def text(self, item: Occurrence, column: int) -> str:
        match column:
            case self.DUE:
                return item.due.strftime("%a %d %b")
            case self.DESCRIPTION:
                return item.description
            case self.AMOUNT:
                amount = format_money(item.amount, item.currency)
                if item.previous_amount is not None and item.previous_amount != item.amount:
                    return f"{amount} (was {format_money(item.previous_amount, item.currency)})"
                return amount
            case self.STATUS:
                return item.status.capitalize()
            case self.ACTION:
                return "" if item.status == "paid" else RECORD
        return ""

    def styled(self, item: Occurrence, column: int, role: int) -> Any:
        colours = tones()
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.STATUS and item.status == "overdue":
                return colours.increase
            if column == self.ACTION:
                return colours.accent
        if role == Qt.ItemDataRole.ToolTipRole and column == self.ACTION and item.status != "paid":
            return f"Record {item.description} as an expense dated {item.due.isoformat()}"
        return None


class RecurringModel(_ListModel[Recurring]):
    COLUMNS = ("Description", "Amount", "Every", "Next due", "Ends", "Category")
    AMOUNT = 1

    def text(self, item: Recurring, column: int) -> str:
        return (
            item.description,
            format_money(item.amount, item.currency),
            every_text(item.every, item.interval),
            item.next_due.isoformat(),
            item.ends.isoformat() if item.ends else "—",
            self.category_names.get(item.category_id, ""),
        )[column]


class SuggestionModel(_ListModel[Suggestion]):
    COLUMNS = ("Description", "Amount", "Every", "Next due", "Seen", "Category")
    AMOUNT = 1

    def text(self, item: Suggestion, column: int) -> str:
        return (
            item.description,
            format_money(item.amount, item.currency),
            every_text(item.every, item.interval),
            item.next_due.isoformat(),
            f"{len(item.expense_ids)} times",
            self.category_names.get(item.category_id, ""),
        )[column]
