"""What the monthly chart can show beside its bars: the budget line, the same months a
year earlier, the trailing 12-month average — and the numbers as CSV.

The dashboard reads 24 months in one request: the 12 shown and the 12 before them,
which hold both the year-earlier figures and every month a trailing average needs.
Months before the first expense are not zeros but unknown: a year-earlier point is
left out there, and an average takes only the months since the first expense (so a
history that began in March does not show a ramp up from nothing).
"""

from __future__ import annotations

import csv
import math
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
    # Each month a year before; None before the history begins.
    year_earlier: list[Decimal | None] = field(default_factory=list)
    # The mean of the (up to) 12 months ending there; None before the history begins.
    average: list[Decimal | None] = field(default_factory=list)
    budget: Decimal | None = None  # the monthly limit for all spending, when there is one


def compare(history: list[MonthTotal], budget: Decimal | None = None) -> TrendSeries:
    """``history``: consecutive months, oldest first, ending with the last one shown."""
    totals = [m.total for m in history]
    begins = next((i for i, m in enumerate(history) if m.count), len(history))
    start = max(len(history) - SHOWN, 0)
    earlier: list[Decimal | None] = []
    average: list[Decimal | None] = []
    for index in range(start, len(history)):
        before = index - SHOWN
        earlier.append(totals[before] if before >= begins else None)
        window = totals[max(before + 1, begins) : index + 1]
        mean = sum(window, Decimal(0)) / len(window) if window else None
        average.append(mean.quantize(CENT, ROUND_HALF_EVEN) if mean is not None else None)
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
            [month.month, f"{month.total:.2f}", str(month.count), _cents(earlier),
             _cents(average), budget]
        )  # fmt: skip
    return rows


def _cents(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _floats(values: list[Decimal | None]) -> list[float]:
    """pyqtgraph leaves a gap at NaN (``connect="finite"``)."""
    return [math.nan if v is None else float(v) for v in values]


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
        self.earlier.setData(xs, _floats(series.year_earlier), pen=muted, connect="finite",
                             symbol="o", symbolSize=6, symbolBrush=colours.muted,
                             symbolPen=None)  # fmt: skip
        self.average.setData(xs, _floats(series.average), connect="finite",
                             pen=pg.mkPen("#E67700", width=2))  # fmt: skip
        self.earlier.setVisible(self.show_earlier and _known(series.year_earlier))
        self.average.setVisible(self.show_average and _known(series.average))
        if series.budget is not None:
            self.budget.setPen(pg.mkPen(colours.increase, width=1.5, style=Qt.PenStyle.DashLine))
            self.budget.setPos(float(series.budget))
        self.budget.setVisible(series.budget is not None)
        self.chart.setYRange(0, self.top() * 1.12, padding=0)

    def top(self) -> float:
        """The highest value drawn, so no line runs off the chart."""
        values = [float(m.total) for m in self.series.months]
        if self.show_earlier:
            values += [float(v) for v in self.series.year_earlier if v is not None]
        if self.show_average:
            values += [float(v) for v in self.series.average if v is not None]
        if self.series.budget is not None:
            values.append(float(self.series.budget))
        return max(values, default=0.0) or 100.0


def _known(values: list[Decimal | None]) -> bool:
    return any(v is not None for v in values)
