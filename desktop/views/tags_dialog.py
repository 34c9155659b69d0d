"""Manage tags: rename, merge one into another, delete — each an undo-aware ``Op``.

Beside the categories manager (Edit ▸ Tags…). A rename goes on the undo stack; a
merge and a delete cannot be undone (``operations/tags.py`` says why), so their
confirmations say so and say how many expenses they touch.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ApiError
from desktop.models.tags import COUNT, NAME, TagRole, TagTableModel
from desktop.operations import Changes, Op
from desktop.operations.runner import OperationRunner
from desktop.operations.tags import delete_tag, merge_tag, rename_tag
from desktop.session import Session
from desktop.views.banner import Banner
from desktop.workers import Runner
from wire.tags import Tag
from wire.validation import FieldError


def _noun(count: int) -> str:
    return "1 expense" if count == 1 else f"{count:,} expenses"


def ask_name(parent: QWidget, tag: Tag) -> str | None:
    """The new name of ``tag`` (tests replace this function)."""
    name, ok = QInputDialog.getText(parent, "Rename tag", "Name:", text=tag.name)
    return name.strip() if ok and name.strip() else None


def ask_target(parent: QWidget, tag: Tag, others: list[Tag]) -> Tag | None:
    """Which tag ``tag`` merges into (tests replace this function)."""
    names = [other.name for other in others]
    title, label = "Merge tag", f"Merge “{tag.name}” into:"
    name, ok = QInputDialog.getItem(parent, title, label, names, 0, False)
    return next((t for t in others if t.name == name), None) if ok else None


def merge_question(tag: Tag, into: Tag) -> str:
    return (
        f"Merge “{tag.name}” into “{into.name}”? {_noun(tag.count)} will move to "
        f"“{into.name}” and “{tag.name}” goes away. This cannot be undone."
    )


def delete_question(tag: Tag) -> str:
    return (
        f"Remove the tag “{tag.name}” from {_noun(tag.count)}? The expenses stay; "
        "only the tag goes. This cannot be undone."
    )


def confirm(parent: QWidget, title: str, question: str, action: str) -> bool:
    """Ask before a change that cannot be undone (tests replace this function)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


class TagsDialog(QDialog):
    changed = Signal()  # a change reached the server (the window reloads its filters)

    def __init__(
        self,
        session: Session,
        runner: Runner,
        operations: OperationRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.operations = session, runner, operations
        self.setWindowTitle("Tags")
        self.setMinimumSize(420, 400)
        self.model = TagTableModel(self)
        self.banner = Banner()
        self.table = QTableView()
        self.table.setAccessibleName("Tags")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COUNT, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.rename())
        self.empty = QLabel("No tags yet: add them to expenses in the expense dialog.")
        self.empty.setEnabled(False)
        self.empty.setWordWrap(True)
        self.empty.hide()
        self._after = ""  # the tag to select once the list is back
        self.buttons: dict[str, QPushButton] = {}
        column = QVBoxLayout()
        for text, slot in (
            ("Rename…", self.rename),
            ("Merge into…", self.merge),
            ("Delete…", self.delete),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            column.addWidget(button)
            self.buttons[text] = button
        column.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(row, 1)
        layout.addWidget(self.empty)
        layout.addWidget(close)
        self.model.modelReset.connect(self._update_buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()
        # An undo from the Edit menu (or a change elsewhere) while the list is open.
        operations.executed.connect(self._elsewhere)
        self.load()

    def _elsewhere(self, changes: int, initiator: object) -> None:
        if changes & Changes.TAGS and initiator is not self:
            self.load()

    def load(self) -> None:
        client = self.session.client
        self.runner.submit(client.tags, self._loaded, self._failed, owner=self, channel="tags")

    def selected(self) -> Tag | None:
        index = self.table.currentIndex()
        return self.model.index(index.row(), NAME).data(TagRole) if index.isValid() else None

    def select(self, name: str) -> None:
        row = self.model.row_of(name)
        if row >= 0:
            self.table.selectRow(row)

    # --- the three changes ------------------------------------------------------------
    def rename(self) -> None:
        tag = self.selected()
        name = tag and ask_name(self, tag)
        if tag is None or not name or name == tag.name:
            return
        target = self.model.find(name)
        if target is not None and target.name.casefold() != tag.name.casefold():
            self._merge(tag, target)  # onto another tag: a merge, asked as one
            return
        try:
            op = rename_tag(tag, name)
        except FieldError as error:
            self.banner.show_message(error.reason, error=True)
            return
        self._run(op, select=name)

    def merge(self) -> None:
        tag = self.selected()
        others = [t for t in self.model.tags if tag and t.name != tag.name]
        target = tag and others and ask_target(self, tag, others)
        if tag and target:
            self._merge(tag, target)

    def _merge(self, tag: Tag, into: Tag) -> None:
        if confirm(self, "Merge tags", merge_question(tag, into), "Merge"):
            self._run(merge_tag(tag, into), select=into.name)

    def delete(self) -> None:
        tag = self.selected()
        if tag and confirm(self, "Delete tag", delete_question(tag), "Delete"):
            self._run(delete_tag(tag))

    def _run(self, op: Op, select: str = "") -> None:
        self.banner.hide()

        def done(results: object) -> None:
            if results is None:  # queued offline
                self.banner.show_message("Saved on this computer — sent when online.")
                return
            self._after = select
            self.changed.emit()
            self.load()

        self.operations.run(op, self, done, self._failed)

    # --- answers ----------------------------------------------------------------------
    def _loaded(self, tags: list[Tag]) -> None:
        self.model.set_tags(tags)
        self.empty.setVisible(not tags)
        if self._after:
            self.select(self._after)
            self._after = ""

    def _update_buttons(self) -> None:
        chosen, several = self.selected() is not None, len(self.model.tags) > 1
        for text, button in self.buttons.items():
            button.setEnabled(chosen and (several or text != "Merge into…"))

    def _failed(self, error: Exception) -> None:
        detail = error.field_messages() if isinstance(error, ApiError) else {}
        if detail:
            self.banner.show_message("; ".join(detail.values()), error=True)
        else:
            self.banner.show_error(error)
