"""Manage recurring expenses: the plans (edit, delete) and what the history suggests
("Make recurring"). Every change is an undoable ``Op`` on the window's runner."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.models.categories import CategoryListModel
from desktop.models.recurring import RecurringModel, SuggestionModel
from desktop.operations import Changes, Op
from desktop.operations.recurring import delete_recurring, edit_recurring, from_suggestion
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.views.banner import Banner
from desktop.views.recurring_form import RecurringForm
from desktop.workers import Runner
from wire.recurring import Recurring, RecurringUpdate, Suggestion

RELOAD_ON = Changes.RECURRING | Changes.EXPENSES | Changes.CATEGORIES | Changes.TRASH


def _table(model: object, name: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)  # a few dozen rows
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


class RecurringDialog(QDialog):
    changed = Signal()

    def __init__(
        self,
        session: Session,
        runner: Runner,
        operations: OperationRunner,
        categories: CategoryListModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.operations = session, runner, operations
        self.categories = categories
        self.setWindowTitle("Recurring expenses")
        self.setMinimumSize(720, 520)
        self.plans, self.suggested = RecurringModel(self), SuggestionModel(self)
        self.banner = Banner()
        self.banner.hide()
        self.plan_table = _table(self.plans, "Recurring expenses")
        self.plan_table.doubleClicked.connect(lambda _i: self.edit())
        self.suggestion_table = _table(self.suggested, "Suggestions")
        self.suggestion_table.doubleClicked.connect(lambda _i: self.make_recurring())
        self.edit_button = QPushButton("Edit…")
        self.edit_button.clicked.connect(self.edit)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete)
        self.make_button = QPushButton("Make recurring")
        self.make_button.clicked.connect(self.make_recurring)
        self.empty = QLabel("No recurring expenses yet: make one from a suggestion below.")
        self.empty.setEnabled(False)
        self.no_suggestions = QLabel("Nothing in your history repeats regularly yet.")
        self.no_suggestions.setEnabled(False)
        self.form: RecurringForm | None = None
        plan_buttons = QHBoxLayout()
        plan_buttons.addStretch(1)
        plan_buttons.addWidget(self.edit_button)
        plan_buttons.addWidget(self.delete_button)
        suggestion_buttons = QHBoxLayout()
        suggestion_buttons.addStretch(1)
        suggestion_buttons.addWidget(self.make_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(QLabel("Your recurring expenses", objectName="sectionTitle"))
        layout.addWidget(self.plan_table, 3)
        layout.addWidget(self.empty)
        layout.addLayout(plan_buttons)
        layout.addWidget(QLabel("Suggested from your history", objectName="sectionTitle"))
        layout.addWidget(self.suggestion_table, 2)
        layout.addWidget(self.no_suggestions)
        layout.addLayout(suggestion_buttons)
        layout.addWidget(close)
        self.setStyleSheet("#sectionTitle { font-weight: 600; }")
        operations.executed.connect(self.op_executed)
        self.load()

    def load(self) -> None:
        client = self.session.client
        self.runner.submit(
            lambda: (client.recurring(), client.suggestions()),
            self._loaded,
            self.banner.show_error,
            channel="recurring",
            owner=self,
        )

    def _loaded(self, answer: tuple[list[Recurring], list[Suggestion]]) -> None:
        plans, suggestions = answer
        names = {c.id: c.name for c in self.categories.categories}
        for model, items in ((self.plans, plans), (self.suggested, suggestions)):
            model.category_names = names
            model.set_items(items)
        self.empty.setVisible(not plans)
        self.no_suggestions.setVisible(not suggestions)

    def op_executed(self, changes: int, _initiator: object) -> None:
        if changes & RELOAD_ON:
            self.load()

    def selected_plan(self) -> Recurring | None:
        rows = self.plan_table.selectionModel().selectedRows()
        return self.plans.item(rows[0].row()) if rows else None

    def selected_suggestion(self) -> Suggestion | None:
        rows = self.suggestion_table.selectionModel().selectedRows()
        return self.suggested.item(rows[0].row()) if rows else None

    def select(self, table: QTableView, row: int) -> None:
        table.selectRow(row)

    def edit(self) -> RecurringForm | None:
        plan = self.selected_plan()
        if plan is None:
            return None
        self.form = RecurringForm(plan, self.categories.categories, self)
        self.form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form.saved.connect(self._save)
        self.form.open()
        return self.form

    def _save(self, plan: Recurring, data: RecurringUpdate) -> None:
        self._run(edit_recurring(plan, data))

    def delete(self) -> None:
        plan = self.selected_plan()
        if plan is not None:
            self._run(delete_recurring(plan))

    def make_recurring(self) -> None:
        suggestion = self.selected_suggestion()
        if suggestion is not None:
            self._run(from_suggestion(suggestion))

    def _run(self, op: Op) -> None:
        self.banner.hide()
        self.operations.run(
            op, self, lambda _r: self.changed.emit(), lambda error: self.banner.show_error(error)
        )
