"""How a cell looks: category colour dots and dates in the user's locale."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from wire.categories import Category
from wire.expenses import Expense


def swatch(color: str, size: int = 12) -> QIcon:
    """A round colour dot for a category."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def date_format(locale: QLocale) -> str:
    """The locale's short date with a four-digit year (C locale: unambiguous ISO)."""
    if locale.language() == QLocale.Language.C:
        return "yyyy-MM-dd"
    pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return pattern if "yyyy" in pattern else pattern.replace("yy", "yyyy")


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def split_swatch(colors: list[str], size: int = 12) -> QIcon:
    """A split expense's dot: a pie of its parts' category colours, in equal slices."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    span = 360 * 16 // max(len(colors), 1)
    for index, color in enumerate(colors):
        painter.setBrush(QColor(color))
        painter.drawPie(1, 1, size - 2, size - 2, 90 * 16 - index * span, -span)
    painter.end()
    return QIcon(pixmap)


class CategoryIcons:
    """A row's category dot, made once per colour (or colours, for a split)."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, ...], QIcon] = {}

    def of(self, expense: Expense, categories: Mapping[int, Category]) -> QIcon | None:
        ids = [part.category_id for part in expense.splits or ()] or [expense.category_id]
        found = [categories.get(category_id) for category_id in ids]
        if not expense.splits and found[0] is None:
            return None
        colors = tuple(c.color if c else "#9E9E9E" for c in found)
        if colors not in self._made:
            many = len(colors) > 1
            self._made[colors] = split_swatch(list(colors)) if many else swatch(colors[0])
        return self._made[colors]
