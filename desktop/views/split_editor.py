"""One expense in several categories: parts of category and amount, the rest shown live.

The rule a split must meet is ``wire.validation.check_splits`` — the same function
the API runs — so the editor can never call a split valid that the server refuses;
until it holds, ``problem()`` says what is wrong and the dialog keeps Save disabled.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.amount_expression import ExpressionError, read_amount
from desktop.models.categories import CategoryListModel, IdRole
from desktop.money import format_money
from desktop.views.theme import rgba, tones
from wire.expenses import Split
from wire.validation import MAX_SPLITS, MIN_SPLITS, FieldError, check_splits


class _Part:
    """One row: category, amount, remove."""

    def __init__(self, editor: SplitEditor) -> None:
        self.category = QComboBox()
        self.category.setModel(editor.categories)
        self.category.setPlaceholderText("Category")
        self.category.setCurrentIndex(-1)
        self.category.setAccessibleName("Part category")
        self.amount = QLineEdit(placeholderText="0.00")
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setAccessibleName("Part amount")
        self.amount.setMaximumWidth(120)
        self.remove = QToolButton(text="✕", autoRaise=True, toolTip="Remove this part")
        self.remove.setAccessibleName("Remove part")
        self.category.currentIndexChanged.connect(editor.changed)
        self.amount.textChanged.connect(editor.changed)
        self.amount.installEventFilter(editor)  # an empty amount offers what is left
        self.remove.clicked.connect(lambda: editor.remove_part(self))

    def category_id(self) -> int | None:
        row = self.category.currentIndex()
        return self.category.itemData(row, IdRole) if row >= 0 else None

    def value(self) -> Decimal | None:
        try:
            return read_amount(self.amount.text(), self.amount.locale())
        except ExpressionError:
            return None


class SplitEditor(QWidget):
    changed = Signal()

    def __init__(self, categories: CategoryListModel, currency: str) -> None:
        super().__init__()
        self.categories, self.currency = categories, currency
        self.total: Decimal | None = None
        self.rows: list[_Part] = []
        self.between: tuple[QWidget, QWidget] | None = None  # Tab comes from, goes to
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 1)
        self.add_button = QPushButton("Add part")
        self.add_button.clicked.connect(lambda: self.add_part(focus=True))
        self.remaining = QLabel(objectName="remaining")
        footer = QHBoxLayout()
        footer.addWidget(self.add_button)
        footer.addStretch(1)
        footer.addWidget(self.remaining)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addLayout(footer)
        self.changed.connect(self._show_remaining)

    # --- parts ----------------------------------------------------------------------
    def add_part(
        self, category_id: int | None = None, amount: str = "", *, focus: bool = False
    ) -> _Part:
        part = _Part(self)
        if category_id is not None:
            part.category.setCurrentIndex(self.categories.row_of(category_id))
        part.amount.setText(amount)
        row = len(self.rows)
        self.grid.addWidget(part.category, row, 0)
        self.grid.addWidget(part.amount, row, 1)
        self.grid.addWidget(part.remove, row, 2)
        self.rows.append(part)
        self._tab_order()
        if focus:
            part.category.setFocus()
        self.changed.emit()
        return part

    def remove_part(self, part: _Part) -> None:
        for widget in (part.category, part.amount, part.remove):
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.rows.remove(part)
        for row, kept in enumerate(self.rows):  # close the gap
            for column, widget in enumerate((kept.category, kept.amount, kept.remove)):
                self.grid.addWidget(widget, row, column)
        self._tab_order()
        self.changed.emit()

    def _tab_order(self) -> None:
        """Parts in reading order, between the widgets the dialog puts around the editor
        (parts made later would otherwise come last in the window's Tab chain)."""
        chain = [w for part in self.rows for w in (part.category, part.amount, part.remove)]
        chain.append(self.add_button)
        if self.between is not None:
            chain = [self.between[0], *chain, self.between[1]]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def clear(self) -> None:
        while self.rows:
            self.remove_part(self.rows[-1])

    def set_parts(self, parts: list[Split], point: str) -> None:
        self.clear()
        for part in parts:
            self.add_part(part.category_id, str(part.amount).replace(".", point))

    def set_total(self, total: Decimal | None, currency: str | None = None) -> None:
        """The expense's amount (None while unreadable) and currency."""
        self.total = total
        self.currency = currency or self.currency
        self._show_remaining()

    # --- the rule ---------------------------------------------------------------------
    def parts(self) -> list[Split] | None:
        """Every part, or None while one lacks a category or a readable amount."""
        out = []
        for part in self.rows:
            category_id, amount = part.category_id(), part.value()
            if category_id is None or amount is None:
                return None
            out.append(Split(category_id=category_id, amount=amount))
        return out

    def problem(self) -> str | None:
        """Why the split cannot be saved yet, or None: ``check_splits`` decides."""
        if self.total is None:
            return "Enter the amount first"
        parts = self.parts()
        if parts is None:
            return "Give every part a category and an amount"
        try:
            check_splits([(p.category_id, p.amount) for p in parts], self.total)
        except FieldError as error:
            return error.reason
        return None

    def left(self) -> Decimal | None:
        """What is left to assign, when there is some with the sign of the amount."""
        if self.total is None:
            return None
        left = self.total - sum((p.value() or Decimal(0) for p in self.rows), Decimal("0.00"))
        return left if left and (left > 0) == (self.total > 0) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Tabbing into an empty part's amount fills in what is left, selected to overtype."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            left = self.left()
            if not watched.text().strip() and left is not None:
                watched.setText(str(left).replace(".", watched.locale().decimalPoint()))
                QTimer.singleShot(0, watched.selectAll)  # after Qt places the cursor
        return super().eventFilter(watched, event)

    def _show_remaining(self) -> None:
        self.add_button.setEnabled(len(self.rows) < MAX_SPLITS)
        for part in self.rows:  # a split keeps at least two parts
            part.remove.setEnabled(len(self.rows) > MIN_SPLITS)
        colours = tones()
        assigned = sum((p.value() or Decimal(0) for p in self.rows), Decimal("0.00"))
        if self.total is None:
            text, good = "", False
        else:
            left = self.total - assigned
            problem = self.problem()
            if left and abs(assigned) > abs(self.total) and (left > 0) != (self.total > 0):
                text, good = f"Over by {format_money(abs(left), self.currency)}", False
            elif left:
                text, good = f"Remaining: {format_money(left, self.currency)}", False
            else:
                text, good = (problem or "✓ The parts add up"), problem is None
        colour = colours.decrease if good else colours.muted
        self.remaining.setText(text)
        self.remaining.setStyleSheet(f"color: {rgba(colour)};")
