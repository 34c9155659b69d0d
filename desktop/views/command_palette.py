"""Ctrl+K: every command of the window, with its shortcut, filtered as you type.

The list is built from the window's ``QAction`` objects each time the palette
opens, so an action any view adds (its own menu or not) appears without being
registered here. Enter runs the highlighted command; Escape closes.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QHeaderView,
    QLabel,
    QLineEdit,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

NATIVE = QKeySequence.SequenceFormat.NativeText


def clean(text: str) -> str:
    """Menu text as a person reads it: "&File" → "File", "Export…" stays."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


@dataclass(frozen=True)
class Command:
    action: QAction
    title: str  # "Edit → New"
    keys: str  # "Ctrl+N"

    def matches(self, query: str) -> bool:
        haystack = f"{self.title} {self.keys}".lower()
        return all(word in haystack for word in query.lower().split())


def window_commands(window: QWidget, exclude: QAction | None = None) -> list[Command]:
    """The window's actions in menu order, then any other action that has text."""
    commands: list[Command] = []
    seen: set[int] = set()

    def add(action: QAction, menu: str) -> None:
        if id(action) in seen or action.isSeparator() or not action.text() or action is exclude:
            return
        seen.add(id(action))
        if action.menu() is not None:
            for child in action.menu().actions():
                add(child, f"{menu} → {clean(action.text())}" if menu else clean(action.text()))
            return
        keys = ", ".join(
            dict.fromkeys(s.toString(NATIVE) for s in action.shortcuts() if not s.isEmpty())
        )
        title = f"{menu} → {clean(action.text())}" if menu else clean(action.text())
        commands.append(Command(action, title, keys))

    menu_bar = getattr(window, "menuBar", None)
    if callable(menu_bar):
        for top in menu_bar().actions():
            add(top, "")
    for action in window.findChildren(QAction):
        if not _internal(action):
            add(action, "")
    return commands


def _internal(action: QAction) -> bool:
    """Qt's own helpers (a toolbar's show/hide toggle, a line edit's clear button)."""
    owner = action.parent()
    if not isinstance(owner, (QWidget, QActionGroup)):
        return True  # e.g. pyqtgraph's scene menu ("Export..."): not a window command
    if isinstance(owner, (QToolBar, QDockWidget)) and action is owner.toggleViewAction():
        return True
    return action.objectName().startswith("_q_") or action.objectName().startswith("qt_")


class CommandPalette(QDialog):
    """A frameless list under a search field; opened with ``open()``."""

    def __init__(self, window: QWidget, exclude: QAction | None = None) -> None:
        super().__init__(window)
        self.setWindowTitle("Command palette")
        self.setMinimumSize(520, 380)
        self.commands = window_commands(window, exclude)
        self.search = QLineEdit(placeholderText="Type a command…")
        self.search.setAccessibleName("Search commands")
        self.search.setClearButtonEnabled(True)
        # Two columns, so every shortcut lines up on the right.
        self.list = QTreeWidget()
        self.list.setAccessibleName("Commands")
        self.list.setColumnCount(2)
        self.list.setHeaderLabels(["Command", "Shortcut"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAlternatingRowColors(True)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.hint = QLabel("↑↓ to choose · Enter to run · Esc to close")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.search.textChanged.connect(self.filter)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(lambda item, _column: self._run_item(item))
        self.filter("")
        self.search.setFocus()

    def filter(self, query: str) -> None:
        self.list.clear()
        for command in self.commands:
            if not command.matches(query):
                continue
            item = QTreeWidgetItem([command.title, command.keys])
            item.setData(0, Qt.ItemDataRole.UserRole, command)
            spoken = f"{command.title}, {command.keys}" if command.keys else command.title
            item.setData(0, Qt.ItemDataRole.AccessibleTextRole, spoken)
            if not command.action.isEnabled():
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addTopLevelItem(item)
        for item in self.items():
            if item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setCurrentItem(item)
                break

    def items(self) -> list[QTreeWidgetItem]:
        return [self.list.topLevelItem(row) for row in range(self.list.topLevelItemCount())]

    def current_row(self) -> int:
        item = self.list.currentItem()
        return self.list.indexOfTopLevelItem(item) if item is not None else -1

    def visible_titles(self) -> list[str]:
        return [item.data(0, Qt.ItemDataRole.UserRole).title for item in self.items()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arrows and Enter in the search field move through and run the list, so the
        # hands never leave the typing position.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                self.list.setFocus()
                self.list.keyPressEvent(event)
                self.search.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.run_current()
                return True
        return super().eventFilter(watched, event)

    def run_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._run_item(item)

    def _run_item(self, item: QTreeWidgetItem) -> None:
        command: Command = item.data(0, Qt.ItemDataRole.UserRole)
        if not command.action.isEnabled():
            return
        self.accept()
        # After the palette is gone, so a command that opens a dialog gets the focus.
        QTimer.singleShot(0, command.action.trigger)
