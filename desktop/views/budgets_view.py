"""Budgets: one row per budget for a month — spent of available as a painted bar with
the projected-spend marker, the carried amount — a month switcher, inline create and edit.

Every change is an ``Op`` (``operations/budgets.py``) run by the window's
``OperationRunner``, so it can be undone; the view reloads in ``op_executed()``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import filters
from desktop.errors import ApiError
from desktop.filters import add_months, month_start
from desktop.models.budgets import NAME, PROGRESS, BudgetRow, BudgetTableModel
from desktop.models.categories import CategoryListModel
from desktop.operations import Changes, Op
from desktop.operations.budgets import create_budget, delete_budget, edit_budget
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.views.banner import Banner
from desktop.views.budget_delegate import ProgressDelegate
from desktop.workers import Runner
from wire.budgets import BudgetCreate, BudgetUpdate
from wire.validation import FieldError

RELOAD_ON = Changes.BUDGETS | Changes.EXPENSES | Changes.CATEGORIES | Changes.TRASH


class BudgetsView(QWidget):
    loaded = Signal()
    failed = Signal(object, object)  # error, retry

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
        self.month = month_start(filters.today())
        self.dirty = True
        self.model = BudgetTableModel(self)
        self.model.editRequested.connect(self._edit)
        self.banner = Banner()
        self.previous_button = QPushButton("◀", toolTip="Previous month (Alt+Page Up)")
        self.next_button = QPushButton("▶", toolTip="Next month (Alt+Page Down)")
        self.today_button = QPushButton("This month")
        self.month_label = QLabel(objectName="sectionTitle")
        self.month_label.setMinimumWidth(130)
        self.month_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = QLabel(" ")
        self.note.setEnabled(False)
        self.previous_button.clicked.connect(lambda: self.show_month(add_months(self.month, -1)))
        self.next_button.clicked.connect(lambda: self.show_month(add_months(self.month, 1)))
        self.today_button.clicked.connect(lambda: self.show_month(month_start(filters.today())))
        # Create inline: a category (or all spending), a limit, rollover; it starts this month.
        self.category = QComboBox(toolTip="What the budget covers")
        self.category.setAccessibleName("Budget category")
        self.amount = QLineEdit(placeholderText="Monthly limit")
        self.amount.setAccessibleName("Monthly limit")
        self.amount.setMaximumWidth(140)
        self.amount.returnPressed.connect(self.add_budget)
        self.rollover = QCheckBox("Roll over what is left")
        self.add_button = QPushButton("Add budget")
        self.add_button.clicked.connect(self.add_budget)
        self.table = QTableView()
        self.table.setAccessibleName("Budgets")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PROGRESS, ProgressDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PROGRESS, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(NAME, 180)
        self.empty = QLabel("No budgets for this month yet: add one above.")
        self.empty.setEnabled(False)
        self.empty.hide()
        self.delete_action = QAction("Remove budget", self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)
        self.delete_button = QPushButton("Remove budget")
        self.delete_button.clicked.connect(self.delete_selected)
        for action, keys in (
            (self.previous_button, "Alt+PgUp"),
            (self.next_button, "Alt+PgDown"),
        ):
            action.setShortcut(QKeySequence(keys))
        top = QHBoxLayout()
        for widget in (self.previous_button, self.month_label, self.next_button, self.today_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.note)
        form = QHBoxLayout()
        form.addWidget(QLabel("New budget:"))
        for widget in (self.category, self.amount, self.rollover, self.add_button):
            form.addWidget(widget)
        form.addStretch(1)
        form.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.banner.hide()
        self.categories.modelReset.connect(self._fill_categories)
        self.operations.executed.connect(self.op_executed)
        self._fill_categories()
        self._show_month_label()

    # --- reading --------------------------------------------------------------------
    def show_month(self, month: date) -> None:
        self.month = month_start(month)
        self._show_month_label()
        self.load()

    def load(self) -> None:
        client, month = self.session.client, self.month.strftime("%Y-%m")
        self.dirty = False
        self.runner.submit(
            lambda: (client.budget_status(month), client.budgets()),
            self._loaded,
            self._failed,
            channel="budgets",
            owner=self,
        )

    def _loaded(self, answer: tuple) -> None:
        status, budgets = answer
        selected = self.selected()
        self.model.set_status(status, budgets)
        self.empty.setVisible(not self.model.rows)
        count = status.unconverted
        noun = "expense waits" if count == 1 else "expenses wait"
        self.note.setText(f"{count:,} {noun} for a rate: not counted" if count else " ")
        if selected is not None and (row := self.model.row_of(selected.budget.id)) >= 0:
            self.table.selectRow(row)
        self.loaded.emit()

    def _failed(self, error: Exception) -> None:
        self.dirty = True
        self.failed.emit(error, self.load)

    def op_executed(self, changes: int, _initiator: object) -> None:
        if changes & RELOAD_ON:
            self.dirty = True
            if self.isVisible():
                self.load()

    def selected(self) -> BudgetRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    # --- writing --------------------------------------------------------------------
    def add_budget(self) -> None:
        category_id = self.category.currentData()
        try:
            data = BudgetCreate(
                amount=self.amount.text().strip().replace(",", ""),
                category_id=category_id,
                rollover=self.rollover.isChecked(),
                starts=self.month.strftime("%Y-%m"),
            )
        except (FieldError, ValueError) as error:
            self.banner.show_message(_reason(error), error=True)
            return
        name = self.category.currentText() if category_id is not None else None
        self._run(create_budget(data, name), lambda: self.amount.clear())

    def _edit(self, row: BudgetRow, fields: dict) -> None:
        try:
            data = BudgetUpdate(**fields)
        except (FieldError, ValueError) as error:
            self.banner.show_message(_reason(error), error=True)
            return
        self._run(edit_budget(row.budget, data, _category(row)))

    def delete_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._run(delete_budget(row.budget, _category(row)))

    def _run(self, op: Op, done: object = None) -> None:
        self.banner.hide()

        def finished(_results: object) -> None:
            if callable(done):
                done()

        def refused(error: Exception) -> None:
            if isinstance(error, ApiError):
                self.banner.show_error(error)
            self.load()

        self.operations.run(op, self, finished, refused)

    # --- helpers --------------------------------------------------------------------
    def _show_month_label(self) -> None:
        self.month_label.setText(self.month.strftime("%B %Y"))

    def _fill_categories(self) -> None:
        current = self.category.currentData()
        self.category.clear()
        self.category.addItem("All spending", None)
        for category in self.categories.categories:
            self.category.addItem(category.name, category.id)
        self.category.setCurrentIndex(max(self.category.findData(current), 0))


def _category(row: BudgetRow) -> str | None:
    return row.line.name if row.line.category_id is not None else None


def _reason(error: ValueError) -> str:
    return f"The limit: {error.reason}" if isinstance(error, FieldError) else str(error)
