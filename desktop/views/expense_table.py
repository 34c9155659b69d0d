"""The table widget that shows expenses (the list and the trash)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.models.expense_columns import TagsRole, amount_text, split_lines
from desktop.models.expenses import (
    AMOUNT,
    CATEGORY,
    CURRENCY,
    DATE,
    DESCRIPTION,
    NOTES,
    TAGS,
    ExpenseTableModel,
)
from desktop.views.expense_cells import SplitPopup, TagChipDelegate, chip_at

ROW_HEIGHT = 30


class ExpenseTable(QTableView):
    """Fixed row height and no content-sized columns: 100k rows stay instant."""

    tagClicked = Signal(str)  # a chip: the window adds its tag to the filter

    def __init__(self, model: ExpenseTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Expenses")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (DATE, 110), (CATEGORY, 180), (AMOUNT, 130), (CURRENCY, 80), (TAGS, 190), (NOTES, 220),
        ):  # fmt: skip
            self.setColumnWidth(column, width)
        self.chips = TagChipDelegate(self)
        self.setItemDelegateForColumn(TAGS, self.chips)
        self.split_popup: SplitPopup | None = None
        self._pressed_at = QPoint()
        self.clicked.connect(self._clicked)
        # One currency in view needs no column saying so; several do (update_columns).
        self.setColumnHidden(CURRENCY, True)
        # Counted as rows come and go (LoadedRows): cheap after every page and edit.
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self.update_columns)
        # A click asks the server for another order (ExpensesView.sort_by); Qt's own
        # sorting stays off: it would sort only the rows loaded so far.
        self.setSortingEnabled(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(DATE, Qt.SortOrder.DescendingOrder)
        # Breathing room inside cells; a flat header that matches the cards.
        self.setStyleSheet(
            "QTableView { border: 1px solid palette(mid); border-radius: 6px; }"
            "QTableView::item { padding: 0 10px; border: none; }"
            "QHeaderView::section { background: palette(base); padding: 6px 10px;"
            " border: none; border-bottom: 1px solid palette(mid); font-weight: 600; }"
        )

    def update_columns(self) -> None:
        model = self.model()
        if isinstance(model, ExpenseTableModel):
            self.setColumnHidden(CURRENCY, len(model.currencies()) <= 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if event.key() == Qt.Key.Key_Space and index.isValid() and self.show_split(index.row()):
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.position().toPoint()  # which chip a click meant
        super().mousePressEvent(event)

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == CATEGORY:
            self.show_split(index.row())
        elif index.column() == TAGS:
            point = self._pressed_at
            names = list(index.data(TagsRole) or [])
            tag = chip_at(names, self.font(), self.visualRect(index), point)
            if tag is not None:
                self.tagClicked.emit(tag)

    def show_split(self, row: int) -> SplitPopup | None:
        """Open the parts of a split expense under its category cell (None: not split)."""
        model = self.model()
        if not isinstance(model, ExpenseTableModel) or not 0 <= row < model.rowCount():
            return None
        expense = model.expense(row)
        if not expense.splits:
            return None
        locale, base = model.locale, model.currency
        parts = split_lines(expense, model.categories_by_id, base, locale)
        popup = SplitPopup(parts, amount_text(expense, base, locale), self)
        cell = self.visualRect(model.index(row, CATEGORY))
        popup.show_at(self.viewport().mapToGlobal(cell.bottomLeft()))
        self.split_popup = popup
        return popup
