"""Categories as a list model: combo boxes and the categories manager share it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from desktop.models.cells import swatch
from wire.categories import Category

Index = QModelIndex | QPersistentModelIndex
CategoryRole = Qt.ItemDataRole.UserRole + 1
IdRole = Qt.ItemDataRole.UserRole + 2


class CategoryListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[Category] = []
        self._icons: dict[str, QIcon] = {}

    @property
    def categories(self) -> list[Category]:
        return list(self._items)

    def set_categories(self, categories: list[Category]) -> None:
        self.beginResetModel()
        self._items = sorted(categories, key=lambda c: c.name.casefold())
        self.endResetModel()

    def by_id(self, category_id: int) -> Category | None:
        return next((c for c in self._items if c.id == category_id), None)

    def row_of(self, category_id: int) -> int:
        return next((row for row, c in enumerate(self._items) if c.id == category_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        category = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return category.name
        if role == Qt.ItemDataRole.DecorationRole:
            if category.color not in self._icons:
                self._icons[category.color] = swatch(category.color)
            return self._icons[category.color]
        if role == CategoryRole:
            return category
        if role == IdRole:
            return category.id
        return None
