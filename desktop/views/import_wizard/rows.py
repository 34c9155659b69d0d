"""The preview's rows as a table: status (word and colour), date, text, amount, rules' result.

A ``QAbstractTableModel`` over the preview's list: a statement holds up to the
import cap's rows, which a ``QTableWidget`` would copy into an item each.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.models.cells import date_format, qdate
from desktop.models.flat import FlatTableModel
from desktop.money import format_money
from wire.imports import ImportCounts, ImportPreview, PreviewRow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Status", "Line", "Date", "Description", "Amount", "Category", "Tags", "Rule", "Note")
STATUS, LINE, DATE, DESCRIPTION, AMOUNT, CATEGORY, TAGS, RULE, NOTE = range(len(COLUMNS))
# Word first, colour second: the status reads the same to someone who cannot tell the hues.
STATUS_TEXT = {"new": "New", "duplicate": "Duplicate", "error": "Error", "skipped": "Skipped"}
STATUS_COLOUR = {
    "new": QColor(46, 160, 67, 60),
    "duplicate": QColor(128, 128, 128, 60),
    "error": QColor(218, 54, 51, 80),
    "skipped": QColor(210, 153, 34, 60),
}


def counts_text(counts: ImportCounts) -> str:
    parts = [f"{counts.new} new"]
    parts.append(f"{counts.duplicate} {'duplicate' if counts.duplicate == 1 else 'duplicates'}")
    parts.append(f"{counts.error} {'error' if counts.error == 1 else 'errors'}")
    parts.append(f"{counts.skipped} skipped")
    return " · ".join(parts)


def why_not(preview: ImportPreview, unsettled: bool) -> str:
    """Why this preview cannot be imported as it stands; empty when it can."""
    if unsettled or preview.ambiguities:
        return "Choose how to read the file above: it can be read two ways."
    if preview.counts.error:
        rows = "row has" if preview.counts.error == 1 else "rows have"
        return (f"{preview.counts.error} {rows} errors (see the Note column): "
                "change the mapping, or fix the file.")  # fmt: skip
    if not preview.counts.new:
        return "Nothing new to import."
    return ""


class PreviewRowsModel(FlatTableModel):
    COLUMNS = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[PreviewRow] = []
        self.rule_names: dict[int, str] = {}
        self.date_format = date_format(QLocale())  # as the expenses table shows dates

    def set_rows(self, rows: list[PreviewRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def set_rule_names(self, names: dict[int, str]) -> None:
        self.rule_names = names
        if self.rows:
            self.dataChanged.emit(self.index(0, RULE), self.index(len(self.rows) - 1, RULE))

    def shown(self) -> list[Any]:
        return self.rows

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == STATUS:
            return STATUS_COLOUR[row.status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.message
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (LINE, AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == STATUS:
            return f"{STATUS_TEXT[row.status]}: {row.message}" if row.message else None
        return None

    def text(self, row: PreviewRow, column: int) -> Any:
        if column == STATUS:
            return STATUS_TEXT[row.status]
        if column == LINE:
            return str(row.line)
        if column == DATE:
            return qdate(row.spent_on).toString(self.date_format) if row.spent_on else ""
        if column == DESCRIPTION:
            return row.description
        if column == AMOUNT:
            return format_money(row.amount, row.currency) if row.amount is not None else ""
        if column == CATEGORY:
            return row.category or ""
        if column == TAGS:
            return ", ".join(row.tags)
        if column == RULE:
            if row.rule_id is None:
                return ""
            return self.rule_names.get(row.rule_id, f"Rule {row.rule_id}")
        return row.message or ""


FORMATS = {"csv": "CSV", "ofx": "OFX", "qif": "QIF", "camt053": "camt.053"}


def statement_text(name: str, preview: ImportPreview) -> str:
    """``<b>card.ofx</b> · OFX · 2025-03-01 to 2025-03-31 · closing balance -€44.60``."""
    facts, parts = preview.statement, [f"<b>{html.escape(name)}</b>", FORMATS[preview.format]]
    if facts.first and facts.last:
        parts.append(f"{facts.first.isoformat()} to {facts.last.isoformat()}")
    if facts.closing_balance is not None:
        money = format_money(facts.closing_balance, facts.currency or "")
        parts.append(f"closing balance {html.escape(money)}")
    return " · ".join(parts)
