"""A user's tags with their counts: the tags manager's table and the filter's completion."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.models.flat import FlatTableModel
from wire.tags import Tag

Index = QModelIndex | QPersistentModelIndex
TagRole = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Tag", "Expenses")
NAME, COUNT = range(len(COLUMNS))


class TagTableModel(FlatTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Tag] = []

    @property
    def tags(self) -> list[Tag]:
        return list(self._items)

    def names(self) -> list[str]:
        return [tag.name for tag in self._items]

    def set_tags(self, tags: list[Tag]) -> None:
        self.beginResetModel()
        self._items = sorted(tags, key=lambda t: t.name.casefold())
        self.endResetModel()

    def find(self, name: str) -> Tag | None:
        """Tags compare case-insensitively, as the server compares them."""
        key = name.strip().casefold()
        return next((t for t in self._items if t.name.casefold() == key), None)

    def row_of(self, name: str) -> int:
        tag = self.find(name)
        return self._items.index(tag) if tag else -1

    def shown(self) -> list[Any]:
        return self._items

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and section == COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        tag = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return tag.name if index.column() == NAME else f"{tag.count:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == TagRole:
            return tag
        return None
