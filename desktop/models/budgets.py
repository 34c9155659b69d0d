"""The Budgets view's rows: each budget's status in one month, with the budget itself.

A row joins the month's ``BudgetLine`` (figures) with its ``Budget`` (version,
rollover, start: what an inline edit sends). The limit is edited in place; the
rollover is a checkbox. Edits do not change the row here: the model asks for them
(``editRequested``) and the view runs them as ``Op``s, then reloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from desktop.models.flat import FlatTableModel
from desktop.money import format_money
from wire.budgets import Budget, BudgetLine, BudgetStatus

Index = QModelIndex | QPersistentModelIndex
RowRole = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Budget", "Spent of available", "Limit", "Carried", "Remaining", "Projected", "Rollover")
NAME, PROGRESS, LIMIT, CARRIED, REMAINING, PROJECTED, ROLLOVER = range(len(COLUMNS))
MONEY = (LIMIT, CARRIED, REMAINING, PROJECTED)


@dataclass(frozen=True)
class BudgetRow:
    line: BudgetLine
    budget: Budget

    @property
    def over(self) -> bool:
        """Spent more than was available this month."""
        return self.line.spent > self.line.available

    @property
    def fraction(self) -> float:
        """Spent ÷ available for the bar (1 or more when nothing is left to spend)."""
        available = self.line.available
        if available <= 0:
            return 1.0 if self.line.spent <= 0 else 2.0
        return float(self.line.spent / available)

    @property
    def projected_fraction(self) -> float:
        available = self.line.available
        return float(self.line.projected / available) if available > 0 else 2.0


def join(status: BudgetStatus, budgets: list[Budget]) -> list[BudgetRow]:
    """The status's lines (all spending first, as the server orders them) with their budget."""
    by_id = {budget.id: budget for budget in budgets}
    lines = [line for line in status.budgets if line.budget_id in by_id]
    return [BudgetRow(line, by_id[line.budget_id]) for line in lines]


class BudgetTableModel(FlatTableModel):
    COLUMNS = COLUMNS

    editRequested = Signal(object, dict)  # BudgetRow, the changed fields

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[BudgetRow] = []
        self.currency = "USD"
        self.unconverted = 0

    def set_status(self, status: BudgetStatus, budgets: list[Budget]) -> None:
        self.beginResetModel()
        self.rows, self.currency = join(status, budgets), status.currency
        self.unconverted = status.unconverted
        self.endResetModel()

    def row(self, index: int) -> BudgetRow:
        return self.rows[index]

    def row_of(self, budget_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.budget.id == budget_id), -1)

    def shown(self) -> list[Any]:
        return self.rows

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == LIMIT:
            flags |= Qt.ItemFlag.ItemIsEditable
        elif index.column() == ROLLOVER:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        line = row.line
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.EditRole and column == LIMIT:
            return f"{line.limit:.2f}"
        if role == Qt.ItemDataRole.CheckStateRole and column == ROLLOVER:
            return Qt.CheckState.Checked if row.budget.rollover else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column in MONEY:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row)
        return None

    def _text(self, row: BudgetRow, column: int) -> str | None:
        line, money = row.line, lambda v: format_money(v, self.currency)
        match column:
            case 0:
                return line.name
            case 1:  # painted by the delegate; this is what a screen reader says
                return f"{money(line.spent)} of {money(line.available)}"
            case 2:
                return money(line.limit)
            case 3:
                return money(line.carried) if row.budget.rollover else "—"
            case 4:
                return money(line.remaining)
            case 5:
                return money(line.projected)
        return None

    def _tip(self, row: BudgetRow) -> str:
        line = row.line
        state = "Over budget" if row.over else "Within budget"
        return (
            f"{line.name}: {state}\nSpent {format_money(line.spent, self.currency)}"
            f" of {format_money(line.available, self.currency)}"
            f"\nProjected for the month {format_money(line.projected, self.currency)}"
        )

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row = self.rows[index.row()]
        if index.column() == LIMIT and role == Qt.ItemDataRole.EditRole:
            text = str(value).strip().replace(",", "")
            if not text or _same(text, row.budget.amount):
                return False
            self.editRequested.emit(row, {"amount": text})
            return True
        if index.column() == ROLLOVER and role == Qt.ItemDataRole.CheckStateRole:
            rollover = Qt.CheckState(value) == Qt.CheckState.Checked
            self.editRequested.emit(row, {"rollover": rollover})
            return True
        return False


def _same(text: str, amount: Decimal) -> bool:
    try:
        return Decimal(text) == amount
    except ArithmeticError:
        return False
