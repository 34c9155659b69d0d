"""Import history: past imports, newest first, and "Undo this import" (an op)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.flat import FlatTableModel
from desktop.operations.imports import undo_import
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.views.import_wizard.rows import FORMATS
from desktop.workers import Runner
from wire.imports import ImportPage, ImportRecord

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Imported", "Format", "Account", "Expenses")
UNDO_NOTE = (
    "Its {count} expenses move to the Trash. Restore them there one by one if you change "
    "your mind: an undone import cannot be redone, and importing the file again finds "
    "them in the Trash as duplicates."
)


def ask_undo(parent: QWidget, record: ImportRecord) -> bool:
    """Tests replace this prompt."""
    answer = QMessageBox.question(
        parent, "Undo this import?", UNDO_NOTE.format(count=record.created)
    )
    return answer == QMessageBox.StandardButton.Yes


class ImportsModel(FlatTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.records: list[ImportRecord] = []

    def set_records(self, records: list[ImportRecord]) -> None:
        self.beginResetModel()
        self.records = records
        self.endResetModel()

    def shown(self) -> list[Any]:
        return self.records

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        record = self.records[index.row()]
        return (
            record.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            FORMATS.get(record.format, record.format),
            record.account or "—",
            str(record.created),
        )[index.column()]


class ImportHistory(QWidget):
    undone = Signal(object)  # the ImportRecord whose expenses went to the Trash
    failed = Signal(object)  # an error to show

    def __init__(
        self, session: Session, runner: Runner, operations: OperationRunner, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.operations = session, runner, operations
        self.model = ImportsModel(self)
        self.table = QTableView(accessibleName="Import history")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for at, width in enumerate((150, 90, 300, 90)):
            header.resizeSection(at, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.status = QLabel(wordWrap=True)
        self.undo_button = QPushButton("Undo this import")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def load(self, message: str = "") -> None:
        """Reload the list; ``message`` (what just happened) is shown once it is there."""
        client = self.session.client

        def loaded(page: ImportPage) -> None:
            self.model.set_records(page.items)
            self.status.setText(message or ("" if page.items else "No imports yet."))
            self._selected()

        self.runner.submit(
            client.imports, loaded, self.failed.emit, channel="import-history", owner=self
        )

    def selected(self) -> ImportRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.records[rows[0].row()] if rows else None

    def _selected(self, *_args: object) -> None:
        self.undo_button.setEnabled(self.selected() is not None)

    def undo_selected(self) -> None:
        record = self.selected()
        if record is None or not ask_undo(self, record):
            return
        self.undo_button.setEnabled(False)
        self.status.setText("Undoing…")

        def done(results: object) -> None:
            if results is None:  # queued offline
                self.status.setText("Offline: the undo is sent when the server answers.")
                return
            self.undone.emit(record)
            self.load(f"Undone: {record.created} expenses are in the Trash.")

        def failed(error: Exception) -> None:
            self.load(str(error))

        self.operations.run(undo_import(record), self, done, failed)
