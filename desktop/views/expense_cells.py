"""How the expenses table draws tags and opens a split: a chip delegate and a popup.

Chips are painted by one delegate for the whole column (no widget per cell: 100k
rows stay instant); a click on a chip filters by its tag (``chip_at``). A split
expense's category cell reads "▸ Split · 3 categories"; a click (or Space on the
row) opens a small popup under it with each part's category and amount — the parts
of one row, without turning the paged flat model into a tree.
"""

from __future__ import annotations

import zlib

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from desktop.models.cells import swatch
from desktop.models.expense_columns import TagsRole
from desktop.views.theme import is_dark

Index = QModelIndex | QPersistentModelIndex
CHIP_PAD, CHIP_GAP, CHIP_HEIGHT = 7, 4, 18


def tag_hue(name: str) -> int:
    """A tag's own hue, the same in every run and on every machine."""
    return zlib.crc32(name.casefold().encode()) % 360


def tag_colour(name: str) -> QColor:
    """A tag's bar in the dashboard: its chip's hue, a mid tone for light and dark."""
    return QColor.fromHsl(tag_hue(name), 150, 140)


def chip_colours(name: str, dark: bool) -> tuple[QColor, QColor]:
    """A tag's fill and text: its hue, soft on the page."""
    hue = tag_hue(name)
    if dark:
        return QColor.fromHsl(hue, 90, 62), QColor.fromHsl(hue, 60, 225)
    return QColor.fromHsl(hue, 150, 228), QColor.fromHsl(hue, 140, 58)


def chip_rects(names: list[str], metrics: QFontMetrics, area: QRect) -> list[tuple[str, QRect]]:
    """Where each chip goes, left to right; the ones that do not fit become "+N"."""
    placed: list[tuple[str, QRect]] = []
    x, top = area.left(), area.center().y() - CHIP_HEIGHT // 2 + 1
    for i, name in enumerate(names):
        width = metrics.horizontalAdvance(name) + 2 * CHIP_PAD
        rest = len(names) - i - 1
        more = metrics.horizontalAdvance(f"+{rest}") + 2 * CHIP_PAD + CHIP_GAP if rest else 0
        if x + width + more > area.right():
            placed.append((f"+{len(names) - i}", QRect(x, top, 0, CHIP_HEIGHT)))
            break
        placed.append((name, QRect(x, top, width, CHIP_HEIGHT)))
        x += width + CHIP_GAP
    return placed


def chip_font(font: QFont) -> QFont:
    """Chips read a point smaller than the row's text."""
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() - 1))
    return small


def chip_area(cell: QRect) -> QRect:
    return cell.adjusted(8, 0, -4, 0)


def chip_at(names: list[str], font: QFont, cell: QRect, point: QPoint) -> str | None:
    """The tag whose chip is under ``point`` in a cell laid out as ``paint`` does."""
    for text, rect in chip_rects(names, QFontMetrics(chip_font(font)), chip_area(cell)):
        if rect.width() and rect.contains(point):
            return text
    return None


class TagChipDelegate(QStyledItemDelegate):
    """Paints a row's tags as rounded chips; selection and hover as the style draws them."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        names = index.data(TagsRole) or []
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the background and focus only: the chips are the text
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not names:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = chip_font(opt.font)
        painter.setFont(font)
        dark = is_dark(opt.palette)
        for text, rect in chip_rects(list(names), QFontMetrics(font), chip_area(opt.rect)):
            if text.startswith("+") and rect.width() == 0:
                painter.setPen(opt.palette.color(opt.palette.ColorRole.PlaceholderText))
                painter.drawText(rect.adjusted(0, 0, 40, 0), Qt.AlignmentFlag.AlignVCenter, text)
                break
            fill, ink = chip_colours(text, dark)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, CHIP_HEIGHT / 2, CHIP_HEIGHT / 2)
            painter.setPen(ink)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        names = index.data(TagsRole) or []
        metrics = QFontMetrics(chip_font(option.font))
        width = sum(metrics.horizontalAdvance(n) + 2 * CHIP_PAD + CHIP_GAP for n in names)
        return QSize(width + 12, CHIP_HEIGHT + 8)


class SplitPopup(QFrame):
    """The parts of one split expense, under its category cell; any click closes it."""

    def __init__(self, parts: list[tuple[str, str, str]], total: str, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("splitPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Split parts")
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        title = QLabel(f"Split into {len(parts)} parts")
        title.setStyleSheet("font-weight: 600;")
        grid.addWidget(title, 0, 0, 1, 3)
        self.rows: list[tuple[str, str]] = []
        for row, (name, colour, amount) in enumerate(parts, start=1):
            dot = QLabel()
            dot.setPixmap(swatch(colour).pixmap(12, 12))
            grid.addWidget(dot, row, 0)
            grid.addWidget(QLabel(name), row, 1)
            money = QLabel(amount)
            money.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(money, row, 2)
            self.rows.append((name, amount))
        total_label = QLabel(total)
        total_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        total_label.setStyleSheet("font-weight: 600; border-top: 1px solid palette(mid);")
        grid.addWidget(total_label, len(parts) + 1, 2)

    def show_at(self, point: QPoint) -> None:
        self.adjustSize()
        self.move(point)
        self.show()
