"""Dashboard: summary cards, the 12-month trend, the category and the tag breakdowns.

It shares the filter bar's date range with the expenses view. The trend covers the
twelve months ending with the range's last month (or this month, for open ranges
and ranges reaching into the future); the breakdowns cover the range itself. Every
figure is in the base currency; expenses still waiting for a rate are left out of
the totals, and a badge says how many (a click lists them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.filters import ExpenseQuery, add_months, month_start, today
from desktop.money import format_money
from desktop.session import Session
from desktop.views.charts import CategoryChart, TagChart, TrendChart
from desktop.views.theme import rgba, tones
from desktop.workers import Runner
from wire.analytics import CategoryAnalytics, MonthlyAnalytics
from wire.tags import TagAnalytics
from wire.validation import EARLIEST_DATE as EARLIEST


@dataclass(frozen=True)
class DashboardData:
    monthly: MonthlyAnalytics
    categories: CategoryAnalytics
    last_month: date  # first day of the trend's final month
    tags: TagAnalytics | None = None

    @property
    def unconverted(self) -> int:
        """Expenses of the range left out of the totals (no rate yet)."""
        return self.categories.unconverted


def trend_end(query: ExpenseQuery, now: date) -> date:
    """The trend's final month: the range's last month, never after this month."""
    last = query.date_to or now
    return month_start(min(last, now))


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


class DashboardView(QWidget):
    loaded = Signal()
    failed = Signal(object, object)  # error, retry
    unconvertedClicked = Signal(int)  # how many: the window lists them

    def __init__(self, session: Session, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self.query = ExpenseQuery()
        self.data: DashboardData | None = None
        self.dirty = True
        self.this_month, self.last_month = Card("This month"), Card("Last month")
        self.change, self.top = Card("Change"), Card("Top category")
        self.trend, self.breakdown, self.tag_chart = TrendChart(), CategoryChart(), TagChart()
        self.trend_title = QLabel("Spending by month", objectName="sectionTitle")
        self.breakdown_title = QLabel("By category", objectName="sectionTitle")
        self.tags_title = QLabel("By tag", objectName="sectionTitle")
        self.currency_note = QLabel(" ", objectName="cardNote")
        self.badge = QPushButton(objectName="unconverted")
        self.badge.setCursor(Qt.CursorShape.PointingHandCursor)
        self.badge.setToolTip("Expenses without a rate for their day yet: not in these totals")
        self.badge.clicked.connect(
            lambda: self.unconvertedClicked.emit(self.data.unconverted if self.data else 0)
        )
        self.badge.hide()
        self.save_button = QPushButton("Save chart as PNG…")
        self.save_button.clicked.connect(self.save_png_dialog)
        cards = QHBoxLayout()
        cards.setSpacing(12)
        for card in (self.this_month, self.last_month, self.change, self.top):
            cards.addWidget(card, 1)
        self.charts = QWidget()  # what "Save chart as PNG" captures
        charts = QHBoxLayout(self.charts)
        charts.setContentsMargins(0, 0, 0, 0)
        charts.setSpacing(12)
        for title, chart, stretch in (
            (self.trend_title, self.trend, 3),
            (self.breakdown_title, self.breakdown, 2),
            (self.tags_title, self.tag_chart, 2),
        ):
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(chart, 1)
            charts.addLayout(column, stretch)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(14)
        header = QHBoxLayout()
        header.addWidget(self.currency_note)
        header.addStretch(1)
        header.addWidget(self.badge)
        layout.addLayout(header)
        layout.addLayout(cards)
        layout.addWidget(self.charts, 1)
        layout.addLayout(footer)
        self._style()

    def _style(self) -> None:
        colours = tones()
        self.setStyleSheet(
            f"#card {{ background: {rgba(colours.card)}; border: 1px solid {rgba(colours.border)};"
            " border-radius: 8px; }"
            f"#cardTitle {{ color: {rgba(colours.muted)}; font-size: 11px; font-weight: 600;"
            " letter-spacing: 1px; }"
            "#cardValue { font-size: 22px; font-weight: 600; }"
            f"#cardNote {{ color: {rgba(colours.muted)}; font-size: 11px; }}"
            "#sectionTitle { font-size: 13px; font-weight: 600; }"
            f"#unconverted {{ background: {rgba(colours.error_bg)};"
            f" color: {rgba(colours.error_text)}; border: none; border-radius: 10px;"
            " padding: 3px 12px; font-weight: 600; }"
        )

    def apply_theme(self) -> None:
        """Restyle for the current palette (the main window calls this on a change)."""
        self._style()
        for chart in (self.trend, self.breakdown, self.tag_chart):
            chart.apply_theme()
            chart.redraw()
        if self.data:
            self._show(self.data)

    def set_query(self, query: ExpenseQuery, load: bool) -> None:
        self.query, self.dirty = query, True
        if load:
            self.load()

    def load(self) -> None:
        query, client = self.query, self.session.client
        now = today()
        last = trend_end(query, now)
        first = add_months(last, -11)

        def work() -> DashboardData:
            monthly = client.monthly(first.strftime("%Y-%m"), last.strftime("%Y-%m"))
            # "All time" must say so: the API's default range is the current month.
            breakdown = client.category_breakdown(query.date_from or EARLIEST, query.date_to)
            tags = client.tag_breakdown(query.date_from, query.date_to)
            return DashboardData(monthly, breakdown, last, tags)

        self.dirty = False
        self.runner.submit(work, self._show, self._failed, channel="dashboard", owner=self)

    def _failed(self, error: Exception) -> None:
        self.dirty = True
        self.failed.emit(error, self.load)

    def _show(self, data: DashboardData) -> None:
        self.data = data
        currency = data.monthly.currency
        months = data.monthly.months
        current = months[-1].total if months else Decimal(0)
        previous = months[-2].total if len(months) > 1 else Decimal(0)
        is_now = data.last_month == month_start(today())
        self.this_month.title.setText(("This month" if is_now else _label(data.last_month)).upper())
        before = add_months(data.last_month, -1)
        self.last_month.title.setText(("Last month" if is_now else _label(before)).upper())
        self.this_month.set(format_money(current, currency), _count(months[-1:]))
        self.last_month.set(format_money(previous, currency), _count(months[-2:-1]))
        self.change.set(*_change(current, previous))
        top = data.categories.categories[0] if data.categories.categories else None
        if top:
            share = f"{top.share:.0%} of {format_money(data.categories.total, currency)}"
            self.top.set(top.name, share, top.color)
        else:
            self.top.set("—", "nothing in this range")
        self.trend.set_data(months, currency)
        self.breakdown.set_data(data.categories.categories, currency)
        self.tag_chart.set_tags(data.tags.tags if data.tags else [], currency)
        self.currency_note.setText(f"All amounts in {currency}, your base currency")
        count = data.unconverted
        self.badge.setText(f"{count:,} not converted")
        self.badge.setAccessibleName(f"{count} expenses not converted: show them")
        self.badge.setVisible(count > 0)
        self.loaded.emit()

    def save_png(self, path: Path) -> bool:
        return self.charts.grab().save(str(path), "PNG")

    def save_png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save chart as PNG", "expense-charts.png", "PNG images (*.png)"
        )
        if path:
            self.save_png(Path(path))


def _label(first_of_month: date) -> str:
    return first_of_month.strftime("%B %Y")


def _count(months: list) -> str:
    if not months:
        return " "
    count = months[0].count
    return f"{count} expense" + ("" if count == 1 else "s")


def _change(current: Decimal, previous: Decimal) -> tuple[str, str, str]:
    colours = tones()
    if previous == 0:
        return ("—", "no spending the month before", "")
    percent = (current - previous) / previous * 100
    colour = colours.increase if percent > 0 else colours.decrease
    arrow = "▲" if percent > 0 else "▼" if percent < 0 else ""
    return (f"{arrow} {abs(percent):.1f}%", "vs the month before", colour.name())
