"""Dashboard charts drawn with pyqtgraph: the monthly trend, the category and tag bars.

pyqtgraph knows nothing of the Qt palette and has no hover API for bars, so each
chart applies ``theme.tones()`` itself and finds the bar under the mouse from the
scene's ``sigMouseMoved``. Amounts stay ``Decimal`` until handed to pyqtgraph.
"""

from __future__ import annotations

from decimal import Decimal

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.filters import today
from desktop.money import format_compact, format_money
from desktop.views.expense_cells import tag_colour
from desktop.views.theme import tones
from wire.analytics import CategoryTotal, MonthTotal
from wire.tags import TagTotal

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def compact_money(value: float, currency: str) -> str:
    """Axis labels: "$1.5k" reads better than "$1,500.00" on a tick."""
    return format_compact(Decimal(str(round(value, 2))), currency)


class MoneyAxis(pg.AxisItem):
    def __init__(self, orientation: str, currency: str = "USD") -> None:
        super().__init__(orientation)
        self.currency = currency

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [compact_money(v, self.currency) if v >= 0 else "" for v in values]


class _BarChart(pg.PlotWidget):
    """Shared look: no mouse zoom, themed background, tooltips on hover, bars clickable."""

    barClicked = Signal(int)  # the bar's index (click-through to its expenses)

    def __init__(self, value_axis: str, parent: QWidget | None = None) -> None:
        self.money_axis = MoneyAxis(value_axis)
        super().__init__(parent, axisItems={value_axis: self.money_axis})
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        # 220, not more: at 200 % a 1080p screen has 540 logical pixels for the window.
        self.setMinimumHeight(220)
        self.plotItem.showGrid(x=value_axis == "bottom", y=value_axis == "left", alpha=0.25)
        # Major grid lines only, drawn behind the bars (pyqtgraph puts axes on top).
        self.money_axis.setStyle(maxTickLevel=0, maxTextLevel=0)
        for name in ("left", "bottom"):
            self.getAxis(name).setZValue(-1)
        self.bars: pg.BarGraphItem | None = None
        self.hover_text = ""
        self._empty = pg.TextItem("No expenses in this period", anchor=(0.5, 0.5))
        self.scene().sigMouseMoved.connect(self._mouse_moved)
        self.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.apply_theme()

    def apply_theme(self) -> None:
        colours = tones()
        self.setBackground(colours.card)
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() - 1))
        for name in ("left", "bottom"):
            axis = self.getAxis(name)
            axis.setPen(pg.mkPen(colours.border))
            axis.setTextPen(pg.mkPen(colours.muted))
            axis.setTickFont(font)
        self._empty.setColor(colours.muted)

    def _mouse_moved(self, position: QPointF) -> None:
        point = self.plotItem.vb.mapSceneToView(position)
        text = self.describe_at(point.x(), point.y())
        if text != self.hover_text:
            self.hover_text = text
            if text:  # a click lists the bar's expenses (the dashboard's drillDown)
                QToolTip.showText(QCursor.pos(), f"{text}\nClick to list these expenses", self)
            else:
                QToolTip.hideText()

    def _mouse_clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        point = self.plotItem.vb.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        index = self.index_at(point.x(), point.y())
        if index is not None:
            self.barClicked.emit(index)

    def index_at(self, x: float, y: float) -> int | None:
        raise NotImplementedError

    def describe_at(self, x: float, y: float) -> str:
        raise NotImplementedError

    def _show_empty(self, empty: bool, x: float, y: float) -> None:
        if empty and self._empty.scene() is None:
            self.addItem(self._empty)
        elif not empty and self._empty.scene() is not None:
            self.removeItem(self._empty)
        self._empty.setPos(x, y)


class TrendChart(_BarChart):
    """Twelve monthly totals as vertical bars, oldest left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("left", parent)
        self.getAxis("bottom").setHeight(40)  # room for "Jan" over "2026"
        self.months: list[MonthTotal] = []
        self.currency = "USD"

    def set_data(self, months: list[MonthTotal], currency: str) -> None:
        self.months, self.currency = months, currency
        self.money_axis.currency = currency
        self.redraw()

    def redraw(self) -> None:
        if self.bars is not None:
            self.removeItem(self.bars)
            self.bars = None
        colours = tones()
        heights = [float(m.total) for m in self.months]  # pyqtgraph wants floats
        current = today().strftime("%Y-%m")
        brushes = [
            pg.mkBrush(colours.accent if m.month == current else _soft(colours.accent))
            for m in self.months
        ]
        if self.months:
            self.bars = pg.BarGraphItem(
                x=list(range(len(self.months))), height=heights, width=0.62,
                brushes=brushes, pen=pg.mkPen(None),
            )  # fmt: skip
            self.addItem(self.bars)
        ticks = [(i, _month_label(m.month, i == 0)) for i, m in enumerate(self.months)]
        self.getAxis("bottom").setTicks([ticks, []])
        top = max(heights, default=0.0) or 100.0
        self.setXRange(-0.6, max(len(self.months), 1) - 0.4, padding=0)
        self.setYRange(0, top * 1.12, padding=0)
        self._show_empty(not any(heights), (len(self.months) - 1) / 2, top * 0.56)

    def index_at(self, x: float, y: float) -> int | None:
        index = round(x)
        if not (0 <= index < len(self.months)) or abs(x - index) > 0.31 or y < 0:
            return None
        return index

    def describe_at(self, x: float, y: float) -> str:
        index = self.index_at(x, y)
        if index is None:
            return ""
        month = self.months[index]
        noun = "expense" if month.count == 1 else "expenses"
        return (
            f"{_month_label(month.month, True).replace(chr(10), ' ')}\n"
            f"{format_money(month.total, self.currency)} · {month.count} {noun}"
        )


class CategoryChart(_BarChart):
    """Categories as horizontal bars, largest on top, labelled with their share."""

    label_room = 1.3  # the x range past the longest bar, for its label (three charts abreast)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("bottom", parent)
        self.categories: list[CategoryTotal] = []
        self.currency = "USD"
        self.labels: list[pg.TextItem] = []

    def set_data(self, categories: list[CategoryTotal], currency: str) -> None:
        self.categories = sorted(categories, key=lambda c: c.total, reverse=True)
        self.currency = currency
        self.money_axis.currency = currency
        self.redraw()

    def redraw(self) -> None:
        for item in [self.bars, *self.labels]:
            if item is not None:
                self.removeItem(item)
        self.bars, self.labels = None, []
        colours = tones()
        count = len(self.categories)
        widths = [float(c.total) for c in self.categories]
        positions = [count - 1 - i for i in range(count)]  # first (largest) on top
        if count:
            self.bars = pg.BarGraphItem(
                x0=0, y=positions, height=0.62, width=widths,
                brushes=[pg.mkBrush(c.color) for c in self.categories], pen=pg.mkPen(None),
            )  # fmt: skip
            self.addItem(self.bars)
        for category, y, width in zip(self.categories, positions, widths, strict=True):
            text = f"  {self.bar_label(category)}"
            label = pg.TextItem(text, color=colours.text, anchor=(0, 0.5))
            label.setPos(width, y)
            self.addItem(label)
            self.labels.append(label)
        names = [(y, c.name) for c, y in zip(self.categories, positions, strict=True)]
        self.getAxis("left").setTicks([names, []])
        right = max(widths, default=0.0) or 100.0
        self.setYRange(-0.6, max(count, 1) - 0.4, padding=0)
        self.setXRange(0, right * self.label_room, padding=0)
        self._show_empty(not count, right * 0.6, (count - 1) / 2 if count else 0)

    def bar_label(self, category: CategoryTotal) -> str:
        return f"{category.share:.1%}"

    def index_at(self, x: float, y: float) -> int | None:
        count = len(self.categories)
        index = count - 1 - round(y)
        if not (0 <= index < count) or abs(y - round(y)) > 0.31 or x < 0:
            return None
        return index

    def describe_at(self, x: float, y: float) -> str:
        index = self.index_at(x, y)
        if index is None:
            return ""
        category = self.categories[index]
        noun = "expense" if category.count == 1 else "expenses"
        return (
            f"{category.name}\n{format_money(category.total, self.currency)}"
            f" · {category.share:.1%} · {category.count} {noun}"
        )


def _month_label(month: str, with_year: bool) -> str:
    year, number = month.split("-")
    name = MONTHS[int(number) - 1]
    return f"{name}\n{year}" if with_year or number == "01" else name


def _soft(color: QColor) -> QColor:
    """The accent, translucent: past months recede, the current one stands out."""
    soft = QColor(color)
    soft.setAlphaF(0.55)
    return soft


class TagChart(CategoryChart):
    """Tags as horizontal bars, largest on top, labelled with their total.

    An expense counts under each of its tags, so shares would not add up: the bars
    say amounts. Each tag has the colour of its chips in the table.
    """

    label_room = 1.5  # "$1,234.56" is longer than "45.5%"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty.setText("No tagged expenses in this period")

    def set_tags(self, tags: list[TagTotal], currency: str) -> None:
        self.set_data(
            [
                CategoryTotal(0, t.name, tag_colour(t.name).name(), t.total, t.count, 0)
                for t in tags
                if t.total > 0  # refunds net out: a tag with no net spending has no bar
            ],
            currency,
        )

    def bar_label(self, category: CategoryTotal) -> str:
        return compact_money(float(category.total), self.currency)

    def describe_at(self, x: float, y: float) -> str:
        index = self.index_at(x, y)
        if index is None:
            return ""
        tag = self.categories[index]
        noun = "expense" if tag.count == 1 else "expenses"
        return f"{tag.name}\n{format_money(tag.total, self.currency)} · {tag.count} {noun}"
