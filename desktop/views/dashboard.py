"""Dashboard: summary cards, the 12-month trend, the category and tag breakdowns, and
the upcoming recurring expenses.

It shares the filter bar's date range with the expenses view. The trend covers the
twelve months ending with the range's last month (or this month, for open ranges
and ranges reaching into the future); the breakdowns cover the range itself. Every
figure is in the base currency; expenses still waiting for a rate are left out of
the totals, and a badge says how many (a click lists them).

A click on any bar asks the window for exactly the expenses behind it
(``drillDown``); the monthly chart can add the budget line, the same months a year
earlier and the trailing 12-month average (``trend_overlays.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.filters import ExpenseQuery, add_months, month_end, month_start, today
from desktop.money import format_money
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.views.charts import CategoryChart, TagChart, TrendChart
from desktop.views.dashboard_cards import Card, change_note, count_note, month_label
from desktop.views.theme import rgba, tones
from desktop.views.trend_overlays import TrendOverlay, TrendSeries, budget_line, compare, write_csv
from desktop.views.upcoming_panel import UpcomingPanel
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
    series: TrendSeries = field(default_factory=TrendSeries)  # the overlays' figures

    @property
    def unconverted(self) -> int:
        """Expenses of the range left out of the totals (no rate yet)."""
        return self.categories.unconverted


def trend_end(query: ExpenseQuery, now: date) -> date:
    """The trend's final month: the range's last month, never after this month."""
    last = query.date_to or now
    return month_start(min(last, now))


class DashboardView(QWidget):
    loaded = Signal()
    failed = Signal(object, object)  # error, retry
    unconvertedClicked = Signal(int)  # how many: the window lists them
    drillDown = Signal(object)  # ExpenseQuery: exactly the expenses behind a clicked bar

    def __init__(
        self,
        session: Session,
        runner: Runner,
        operations: OperationRunner,
        parent: QWidget | None = None,
    ) -> None:
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
        self.csv_button = QPushButton("Export chart data as CSV…")
        self.csv_button.clicked.connect(self.save_csv_dialog)
        self.overlay = TrendOverlay(self.trend)
        self.earlier_toggle = QCheckBox("A year earlier")
        self.average_toggle = QCheckBox("12-month average")
        self.earlier_toggle.toggled.connect(self.overlay.set_earlier)
        self.average_toggle.toggled.connect(self.overlay.set_average)
        self.upcoming = UpcomingPanel(session, runner, operations)
        self.upcoming.failed.connect(self.failed)
        self.trend.barClicked.connect(self._month_clicked)
        self.breakdown.barClicked.connect(self._category_clicked)
        self.tag_chart.barClicked.connect(self._tag_clicked)
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
            row = QHBoxLayout()
            row.addWidget(title)
            if chart is self.trend:
                row.addStretch(1)
                row.addWidget(self.earlier_toggle)
                row.addWidget(self.average_toggle)
            column.addLayout(row)
            column.addWidget(chart, 1)
            charts.addLayout(column, stretch)
        footer = QHBoxLayout()
        footer.addStretch(1)
        footer.addWidget(self.csv_button)
        footer.addWidget(self.save_button)
        # In a scroll area: at 200 % the cards, charts and the upcoming list do not fit.
        self.scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        body = QWidget()
        self.scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        layout = QVBoxLayout(body)
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
        layout.addWidget(self.upcoming)
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
        self.overlay.redraw()
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
        first = add_months(last, -23)  # the 12 shown and the 12 before (overlays)

        def work() -> DashboardData:
            history = client.monthly(first.strftime("%Y-%m"), last.strftime("%Y-%m"))
            monthly = MonthlyAnalytics(history.currency, history.months[-12:], history.unconverted)
            # "All time" must say so: the API's default range is the current month.
            breakdown = client.category_breakdown(query.date_from or EARLIEST, query.date_to)
            tags = client.tag_breakdown(query.date_from, query.date_to)
            series = compare(history.months, budget_line(client.budgets()))
            return DashboardData(monthly, breakdown, last, tags, series)

        self.dirty = False
        self.runner.submit(work, self._show, self._failed, channel="dashboard", owner=self)
        if self.session.profile is not None:
            self.upcoming.load()

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
        self.this_month.title.setText(
            ("This month" if is_now else month_label(data.last_month)).upper()
        )
        before = add_months(data.last_month, -1)
        self.last_month.title.setText(("Last month" if is_now else month_label(before)).upper())
        self.this_month.set(format_money(current, currency), count_note(months[-1:]))
        self.last_month.set(format_money(previous, currency), count_note(months[-2:-1]))
        self.change.set(*change_note(current, previous))
        top = data.categories.categories[0] if data.categories.categories else None
        if top:
            share = f"{top.share:.0%} of {format_money(data.categories.total, currency)}"
            self.top.set(top.name, share, top.color)
        else:
            self.top.set("—", "nothing in this range")
        self.trend.set_data(months, currency)
        self.overlay.set_series(data.series)
        self.breakdown.set_data(data.categories.categories, currency)
        self.tag_chart.set_tags(data.tags.tags if data.tags else [], currency)
        self.currency_note.setText(f"All amounts in {currency}, your base currency")
        count = data.unconverted
        self.badge.setText(f"{count:,} not converted")
        self.badge.setAccessibleName(f"{count} expenses not converted: show them")
        self.badge.setVisible(count > 0)
        self.loaded.emit()

    # --- click-through ------------------------------------------------------------
    def _month_clicked(self, index: int) -> None:
        if self.data is not None and 0 <= index < len(self.data.monthly.months):
            first = date.fromisoformat(f"{self.data.monthly.months[index].month}-01")
            self.drillDown.emit(ExpenseQuery(first, month_end(first)))

    def _category_clicked(self, index: int) -> None:
        category = self.breakdown.categories[index]
        range_ = self.query
        self.drillDown.emit(
            ExpenseQuery(range_.date_from, range_.date_to, category_id=category.category_id)
        )

    def _tag_clicked(self, index: int) -> None:
        tag = self.tag_chart.categories[index].name
        self.drillDown.emit(ExpenseQuery(self.query.date_from, self.query.date_to, tags=(tag,)))

    def scroll_position(self) -> int:
        return self.scroll.verticalScrollBar().value()

    def set_scroll_position(self, value: int) -> None:
        self.scroll.verticalScrollBar().setValue(value)

    # --- export ---------------------------------------------------------------------
    def save_csv(self, path: Path) -> None:
        write_csv(path, self.overlay.series)

    def save_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export chart data as CSV", "expense-chart.csv", "CSV files (*.csv)"
        )
        if path:
            self.save_csv(Path(path))

    def save_png(self, path: Path) -> bool:
        return self.charts.grab().save(str(path), "PNG")

    def save_png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save chart as PNG", "expense-charts.png", "PNG images (*.png)"
        )
        if path:
            self.save_png(Path(path))
