"""Side by side: my queued edit and the server's newer version, field by field.

Opened when a change made offline meets a 412 on replay. The queue waits at that
change until the user picks: keep mine, keep theirs, or one value per field.
"""

from __future__ import annotations

from typing import Any

import msgspec
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wire.expenses import Expense

LABELS = {
    "amount": "Amount",
    "currency": "Currency",
    "base_amount": "Charged",
    "spent_on": "Date",
    "category_id": "Category",
    "splits": "Split",
    "description": "Description",
    "tags": "Tags",
    "refund_of": "Refund of",
    "notes": "Notes",
}


class ConflictDialog(QDialog):
    resolved = Signal(object)  # the values to send, or None to keep theirs

    def __init__(
        self,
        mine: dict[str, Any],
        theirs: Expense,
        category_names: dict[int, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changed on the server too")
        self.mine, self.theirs = mine, msgspec.to_builtins(theirs)
        self._names = category_names
        intro = QLabel(
            f"“{theirs.description or 'This expense'}” was changed elsewhere while you were "
            "offline. Choose which values to keep."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for column, title in enumerate(("", "Mine (offline)", "Theirs (server)")):
            header = QLabel(f"<b>{title}</b>")
            grid.addWidget(header, 0, column)
        self.choices: dict[str, QButtonGroup] = {}
        for row, field in enumerate((f for f in LABELS if f in mine), start=1):
            grid.addWidget(QLabel(LABELS[field]), row, 0)
            group = QButtonGroup(self)
            for column, value in ((1, mine[field]), (2, self.theirs[field])):
                button = QRadioButton(self._show(field, value))
                button.setAccessibleName(f"{LABELS[field]}: {'mine' if column == 1 else 'theirs'}")
                group.addButton(button, column)
                grid.addWidget(button, row, column)
            group.button(1).setChecked(True)
            differs = str(mine[field]) != str(self.theirs[field])
            for button in group.buttons():
                button.setEnabled(differs)
                if differs:
                    button.setStyleSheet("font-weight: 600;")
            self.choices[field] = group
        buttons = QDialogButtonBox()
        self.keep_mine = buttons.addButton("Keep mine", QDialogButtonBox.ButtonRole.AcceptRole)
        self.keep_theirs = buttons.addButton("Keep theirs", QDialogButtonBox.ButtonRole.RejectRole)
        self.use_selected = buttons.addButton("Use selected", QDialogButtonBox.ButtonRole.ApplyRole)
        self.keep_mine.clicked.connect(lambda: self._finish(dict(self.mine)))
        self.keep_theirs.clicked.connect(lambda: self._finish(None))
        self.use_selected.clicked.connect(lambda: self._finish(self.selected()))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(buttons, alignment=Qt.AlignmentFlag.AlignRight)

    def _show(self, field: str, value: Any) -> str:
        if field == "category_id":
            return self._names.get(int(value), f"Category {value}")
        if value is None or value == []:
            return "—"
        if field == "splits":
            return " + ".join(f"{self._show('category_id', p['category_id'])} {p['amount']}"
                              for p in value)  # fmt: skip
        text = ", ".join(value) if field == "tags" else str(value)
        return text if len(text) < 40 else text[:39] + "…"

    def choose(self, field: str, theirs: bool) -> None:
        self.choices[field].button(2 if theirs else 1).setChecked(True)

    def selected(self) -> dict[str, Any]:
        """The chosen value of each field shown; mine for any field not shown."""
        values = {**self.mine} | {
            field: (self.mine if group.checkedId() == 1 else self.theirs)[field]
            for field, group in self.choices.items()
        }
        group = self.choices.get("base_amount")
        if group is not None and group.checkedId() == 2 and not self.theirs["settled"]:
            values["base_amount"] = None  # theirs is converted, not charged: keep it so
        return values

    def _finish(self, values: dict[str, Any] | None) -> None:
        self.resolved.emit(values)
        self.accept()
