"""Manage categories: add, rename, recolour, delete (moving its expenses elsewhere)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ApiError
from desktop.models.categories import CategoryListModel, CategoryRole
from desktop.session import Session
from desktop.views.banner import Banner
from desktop.workers import Runner
from wire.categories import Category


def ask_name(parent: QWidget, title: str, current: str = "") -> str | None:
    """Ask for a category name (tests replace this function)."""
    name, ok = QInputDialog.getText(parent, title, "Name:", text=current)
    return name.strip() if ok and name.strip() else None


def ask_colour(parent: QWidget, current: str) -> str | None:
    colour = QColorDialog.getColor(QColor(current), parent, "Category colour")
    return colour.name().upper() if colour.isValid() else None


def ask_reassign(parent: QWidget, doomed: Category, others: list[Category]) -> int | None:
    """Where the expenses of a deleted category go; None cancels."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"Delete “{doomed.name}”")
    target = QComboBox()
    for category in others:
        target.addItem(category.name, category.id)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(f"Move the expenses of “{doomed.name}” to:"))
    layout.addWidget(target)
    layout.addWidget(buttons)
    return target.currentData() if dialog.exec() == QDialog.DialogCode.Accepted else None


class CategoriesDialog(QDialog):
    changed = Signal()

    def __init__(
        self,
        session: Session,
        runner: Runner,
        model: CategoryListModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.model = session, runner, model
        self.setWindowTitle("Categories")
        self.setMinimumSize(360, 380)
        self.banner = Banner()
        self.list = QListView()
        self.list.setAccessibleName("Categories")
        self.list.setModel(model)
        self.list.doubleClicked.connect(lambda _i: self.rename())
        buttons = QVBoxLayout()
        for text, slot in (
            ("Add…", self.add),
            ("Rename…", self.rename),
            ("Colour…", self.recolour),
            ("Delete…", self.delete),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(row)
        layout.addWidget(close)

    def selected(self) -> Category | None:
        index = self.list.currentIndex()
        return index.data(CategoryRole) if index.isValid() else None

    def add(self) -> None:
        name = ask_name(self, "New category")
        if name:
            self._run(lambda client: client.create_category(name))

    def rename(self) -> None:
        category = self.selected()
        name = category and ask_name(self, "Rename category", category.name)
        if category and name and name != category.name:
            self._run(lambda client: client.update_category(category.id, name=name))

    def recolour(self) -> None:
        category = self.selected()
        colour = category and ask_colour(self, category.color)
        if category and colour:
            self._run(lambda client: client.update_category(category.id, color=colour))

    def delete(self) -> None:
        category = self.selected()
        if category is None:
            return
        others = [c for c in self.model.categories if c.id != category.id]
        target = ask_reassign(self, category, others) if others else None
        if others and target is None:
            return
        self._run(lambda client: client.delete_category(category.id, reassign_to=target))

    def _run(self, change: Callable[[Any], object]) -> None:
        client = self.session.client

        def work() -> list[Category]:
            change(client)
            return client.categories()

        self.banner.hide()
        self.runner.submit(work, self._refreshed, self._failed, owner=self)

    def _refreshed(self, categories: list[Category]) -> None:
        self.model.set_categories(categories)
        self.changed.emit()

    def _failed(self, error: Exception) -> None:
        detail = error.field_messages() if isinstance(error, ApiError) else {}
        message = "; ".join(detail.values()) if detail else None
        if message:
            self.banner.show_message(message, error=True)
        else:
            self.banner.show_error(error)
