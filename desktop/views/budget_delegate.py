"""The budget progress bar, painted: spent of available, a projected-spend marker,
red once over. One delegate paints every row (no widget per cell)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.models.budgets import RowRole
from desktop.views.theme import tones

Index = QModelIndex | QPersistentModelIndex
BAR_HEIGHT = 10


def bar_colour(over: bool, fraction: float) -> QColor:
    """Red over budget, amber past 85 %, the accent otherwise."""
    colours = tones()
    if over:
        return colours.increase
    return QColor("#E67700") if fraction > 0.85 else colours.accent


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        row = index.data(RowRole)
        if row is None:
            return super().paint(painter, option, index)
        colours = tones()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(8, 0, -8, 0)
        track = QRectF(rect.left(), rect.top() + 6, rect.width(), BAR_HEIGHT)
        trough = QColor(colours.muted)
        trough.setAlphaF(0.18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(trough)
        painter.drawRoundedRect(track, 4, 4)
        fill = QRectF(track)
        fill.setWidth(track.width() * min(max(row.fraction, 0.0), 1.0))
        painter.setBrush(bar_colour(row.over, row.fraction))
        painter.drawRoundedRect(fill, 4, 4)
        # Where the month is heading at this pace; kept inside the track when beyond it.
        marker = track.left() + track.width() * min(max(row.projected_fraction, 0.0), 1.0)
        painter.setPen(QPen(colours.text, 2))
        painter.drawLine(int(marker), int(track.top() - 3), int(marker), int(track.bottom() + 3))
        painter.setPen(colours.increase if row.over else colours.muted)
        text_rect = QRectF(
            rect.left(), track.bottom() + 2, rect.width(), rect.bottom() - track.bottom()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, _caption(index)
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(260, 40)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        return None


def _caption(index: Index) -> str:
    row = index.data(RowRole)
    text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
    return f"{text} · over" if row is not None and row.over else text
