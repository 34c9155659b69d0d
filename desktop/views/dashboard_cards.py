"""The dashboard's summary cards and the words under them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from desktop.views.theme import tones


class Card(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel(title.upper(), objectName="cardTitle")
        self.value = QLabel("—", objectName="cardValue")
        self.note = QLabel(" ", objectName="cardNote")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        for label in (self.title, self.value, self.note):
            layout.addWidget(label)

    def set(self, value: str, note: str = " ", colour: str = "") -> None:
        self.value.setText(value)
        self.note.setText(note)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")


def month_label(first_of_month: date) -> str:
    return first_of_month.strftime("%B %Y")


def count_note(months: list) -> str:
    if not months:
        return " "
    count = months[0].count
    return f"{count} expense" + ("" if count == 1 else "s")


def change_note(current: Decimal, previous: Decimal) -> tuple[str, str, str]:
    colours = tones()
    if previous == 0:
        return ("—", "no spending the month before", "")
    percent = (current - previous) / previous * 100
    colour = colours.increase if percent > 0 else colours.decrease
    arrow = "▲" if percent > 0 else "▼" if percent < 0 else ""
    return (f"{arrow} {abs(percent):.1f}%", "vs the month before", colour.name())
