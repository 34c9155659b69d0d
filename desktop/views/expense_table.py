"""The table widget that shows expenses (the list and the trash)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop.models.expenses import AMOUNT, CATEGORY, DATE, DESCRIPTION, NOTES, ExpenseTableModel

ROW_HEIGHT = 30


class ExpenseTable(QTableView):
    """Fixed row height and no content-sized columns: 100k rows stay instant."""

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
        for column, width in ((DATE, 110), (CATEGORY, 160), (AMOUNT, 130), (NOTES, 260)):
            self.setColumnWidth(column, width)
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
