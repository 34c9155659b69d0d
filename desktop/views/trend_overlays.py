"""What the monthly chart can show beside its bars: the budget line, the same months a
year earlier, the trailing 12-month average — and the numbers as CSV.

The dashboard reads 24 months in one request: the 12 shown and the 12 before them,
which hold both the year-earlier figures and every month a trailing average needs.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import Qt

from desktop.views.charts import TrendChart
from desktop.views.theme import tones
from wire.analytics import MonthTotal
from wire.budgets import Budget

SHOWN = 12
CENT = Decimal("0.01")


@dataclass(frozen=True)
class TrendSeries:
    months: list[MonthTotal] = field(default_factory=list)  # the 12 shown, oldest first
    year_earlier: list[Decimal] = field(default_factory=list)  # each month, a year before
    average: list[Decimal] = field(default_factory=list)  # mean of the 12 months ending there
    budget: Decimal | None = None  # the monthly limit for all spending, when there is one


def compare(history: list[MonthTotal], budget: Decimal | None = None) -> TrendSeries:
    """``history``: consecutive months, oldest first, ending with the last one shown."""
    totals = [m.total for m in history]
    start = max(len(history) - SHOWN, 0)
    earlier, average = [], []
    for index in range(start, len(history)):
        earlier.append(totals[index - SHOWN] if index >= SHOWN else Decimal(0))
        window = totals[max(index - SHOWN + 1, 0) : index + 1]
        average.append((sum(window, Decimal(0)) / SHOWN).quantize(CENT, ROUND_HALF_EVEN))
    return TrendSeries(history[start:], earlier, average, budget)


def budget_line(budgets: list[Budget]) -> Decimal | None:
    """The all-spending budget's limit; else the category limits added up; else none."""
    overall = [b.amount for b in budgets if b.category_id is None]
    if overall:
        return overall[0]
    return sum((b.amount for b in budgets), Decimal(0)) if budgets else None


def csv_rows(series: TrendSeries) -> list[list[str]]:
    header = ["month", "total", "expenses", "year_earlier", "average_12_months", "budget"]
    budget = "" if series.budget is None else f"{series.budget:.2f}"
    rows = [header]
    for month, earlier, average in zip(
        series.months, series.year_earlier, series.average, strict=True
    ):
        rows.append(
            [month.month, f"{month.total:.2f}", str(month.count), f"{earlier:.2f}",
             f"{average:.2f}", budget]
        )  # fmt: skip
    return rows


def write_csv(path: Path, series: TrendSeries) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(csv_rows(series))


class TrendOverlay:
    """The extra lines on a ``TrendChart``; the toggles say which ones show."""

    def __init__(self, chart: TrendChart) -> None:
        self.chart = chart
        self.series = TrendSeries()
        self.show_earlier = False
        self.show_average = False
        self.earlier = pg.PlotDataItem(name="A year earlier")
        self.average = pg.PlotDataItem(name="12-month average")
        self.budget = pg.InfiniteLine(angle=0, movable=False)
        self.budget.setZValue(5)
        for item in (self.earlier, self.average):
            item.setZValue(4)
            chart.addItem(item)
        chart.addItem(self.budget)

    def set_series(self, series: TrendSeries) -> None:
        self.series = series
        self.redraw()

    def set_earlier(self, on: bool) -> None:
        self.show_earlier = on
        self.redraw()

    def set_average(self, on: bool) -> None:
        self.show_average = on
        self.redraw()

    def redraw(self) -> None:
        colours, series = tones(), self.series
        xs = list(range(len(series.months)))
        muted = pg.mkPen(colours.muted, width=2, style=Qt.PenStyle.DashLine)
        self.earlier.setData(xs, [float(v) for v in series.year_earlier], pen=muted,
                             symbol="o", symbolSize=6, symbolBrush=colours.muted,
                             symbolPen=None)  # fmt: skip
        self.average.setData(xs, [float(v) for v in series.average],
                             pen=pg.mkPen("#E67700", width=2))  # fmt: skip
        self.earlier.setVisible(self.show_earlier and bool(xs))
        self.average.setVisible(self.show_average and bool(xs))
        if series.budget is not None:
            self.budget.setPen(pg.mkPen(colours.increase, width=1.5, style=Qt.PenStyle.DashLine))
            self.budget.setPos(float(series.budget))
        self.budget.setVisible(series.budget is not None)
        self.chart.setYRange(0, self.top() * 1.12, padding=0)

    def top(self) -> float:
        """The highest value drawn, so no line runs off the chart."""
        values = [float(m.total) for m in self.series.months]
        if self.show_earlier:
            values += [float(v) for v in self.series.year_earlier]
        if self.show_average:
            values += [float(v) for v in self.series.average]
        if self.series.budget is not None:
            values.append(float(self.series.budget))
        return max(values, default=0.0) or 100.0
