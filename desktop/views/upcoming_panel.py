"""The dashboard's Upcoming panel: the next 30 days of recurring expenses, overdue first.

Nothing is posted by itself: "Record now" (a click on the row's link, or Enter on
the selected row) runs an ``Op`` that posts the occurrence through the API, so it
can be undone like any other change.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.recurring import UpcomingModel
from desktop.operations import Changes
from desktop.operations.recurring import record_occurrence
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.workers import Runner
from wire.recurring import Occurrence, Upcoming

DAYS = 30
RELOAD_ON = Changes.RECURRING | Changes.EXPENSES | Changes.TRASH


class UpcomingPanel(QFrame):
    manageRequested = Signal()  # "Manage…": the window opens the recurring manager
    failed = Signal(object, object)  # error, retry
    loaded = Signal()

    def __init__(
        self,
        session: Session,
        runner: Runner,
        operations: OperationRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.session, self.runner, self.operations = session, runner, operations
        self.model = UpcomingModel(self)
        self.title = QLabel(f"Upcoming · next {DAYS} days", objectName="sectionTitle")
        self.summary = QLabel(" ", objectName="cardNote")
        self.manage = QPushButton("Manage recurring…")
        self.manage.clicked.connect(self.manageRequested)
        self.table = QTableView()
        self.table.setAccessibleName("Upcoming recurring expenses")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setShowGrid(False)
        self.table.setMinimumHeight(150)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few rows
        header.setSectionResizeMode(UpcomingModel.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._clicked)
        # Enter records the selected row (a double-click must not post an expense).
        self.record_action = QAction("Record now", self.table)
        self.record_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.record_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.record_action.triggered.connect(
            lambda: self.record_row(self.table.currentIndex().row())
        )
        self.table.addAction(self.record_action)
        self.empty = QLabel("Nothing due in the next 30 days.")
        self.empty.setEnabled(False)
        self.empty.hide()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.summary)
        top.addStretch(1)
        top.addWidget(self.manage)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        operations.executed.connect(self.op_executed)

    def load(self) -> None:
        client = self.session.client
        self.runner.submit(
            lambda: client.upcoming(DAYS), self._show, self._failed, channel="upcoming", owner=self
        )

    def _show(self, upcoming: Upcoming) -> None:
        self.model.set_items(upcoming.items)
        overdue = sum(1 for item in upcoming.items if item.status == "overdue")
        self.summary.setText(f"· {overdue} overdue" if overdue else " ")
        self.empty.setVisible(not upcoming.items)
        self.table.setVisible(bool(upcoming.items))
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.failed.emit(error, self.load)

    def op_executed(self, changes: int, _initiator: object) -> None:
        if changes & RELOAD_ON and self.session.profile is not None:
            self.load()

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == UpcomingModel.ACTION:
            self.record_row(index.row())

    def record_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.record(self.model.item(row))

    def record(self, occurrence: Occurrence) -> None:
        """Post ``occurrence`` as an expense, dated its due day (undo trashes it)."""
        if occurrence.status == "paid":
            return
        op = record_occurrence(occurrence.recurring_id, occurrence.description, occurrence.due)
        self.operations.run(op, self, on_error=lambda error: self.failed.emit(error, None))
