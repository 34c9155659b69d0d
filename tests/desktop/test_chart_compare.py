"""The monthly chart's compare overlays (a year earlier, the 12-month average), the
budget line, and "Export chart data as CSV": values against hand-computed months."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QFileDialog

from desktop.filters import add_months
from desktop.views.main_actions import DASHBOARD
from desktop.views.trend_overlays import compare
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import import_rows
from wire.analytics import MonthTotal

FIRST = date(2024, 6, 1)  # 24 months up to May 2026, the desktop's fixed month


@pytest.fixture
def two_years(client, account):
    # Month i (0 = June 2024) costs 10 * (i + 1): June 2025 (i = 12) is 130.
    rows = [(add_months(FIRST, i).replace(day=9), "Food", "Shop", f"{10 * (i + 1)}.00")
            for i in range(24)]  # fmt: skip
    import_rows(client, account, rows)
    response = client.post(
        "/api/v1/budgets", json={"amount": "200", "starts": "2025-01"}, headers=account.headers
    )
    assert response.status_code == 201, response.text


def show_dashboard(qtbot, window):
    with qtbot.waitSignal(window.dashboard.loaded, timeout=WAIT_MS):
        window.show_view(DASHBOARD)
    idle(qtbot, window)
    return window.dashboard


def test_the_overlays_show_a_year_earlier_and_the_trailing_average(qtbot, signed_in, two_years):
    dashboard = show_dashboard(qtbot, signed_in)
    overlay = dashboard.overlay
    assert [m.month for m in overlay.series.months] == [
        add_months(FIRST, i).strftime("%Y-%m") for i in range(12, 24)
    ]
    # A year earlier: month i - 12, 10 * (i - 11). The average of months i-11..i: 10i - 45.
    assert overlay.series.year_earlier == [Decimal(10 * (i - 11)) for i in range(12, 24)]
    assert overlay.series.average == [Decimal(10 * i - 45) for i in range(12, 24)]
    assert overlay.series.budget == Decimal("200.00")
    assert overlay.budget.isVisible()
    assert overlay.budget.value() == 200.0
    assert not overlay.earlier.isVisible()
    assert not overlay.average.isVisible()

    dashboard.earlier_toggle.setChecked(True)
    dashboard.average_toggle.setChecked(True)
    assert overlay.earlier.isVisible()
    assert overlay.average.isVisible()
    xs, ys = overlay.average.getData()
    assert list(xs) == list(range(12))
    assert list(ys) == [float(10 * i - 45) for i in range(12, 24)]
    assert list(overlay.earlier.getData()[1]) == [float(10 * (i - 11)) for i in range(12, 24)]
    # The chart is tall enough for every line drawn: May 2026 is 240.
    assert dashboard.trend.viewRange()[1][1] == pytest.approx(240 * 1.12)


def test_export_chart_data_as_csv(qtbot, signed_in, two_years, tmp_path, monkeypatch):
    dashboard = show_dashboard(qtbot, signed_in)
    target = tmp_path / "chart.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dashboard.csv_button.click()
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0] == ["month", "total", "expenses", "year_earlier", "average_12_months", "budget"]
    assert rows[1] == ["2025-06", "130.00", "1", "10.00", "75.00", "200.00"]
    assert rows[-1] == ["2026-05", "240.00", "1", "120.00", "185.00", "200.00"]
    assert len(rows) == 13


money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(money, min_size=24, max_size=24))
def test_compare_holds_for_any_two_years(totals):
    history = [
        MonthTotal(add_months(FIRST, i).strftime("%Y-%m"), t, 1) for i, t in enumerate(totals)
    ]
    series = compare(history)
    assert [m.total for m in series.months] == totals[12:]
    assert series.year_earlier == totals[:12]
    for index, average in enumerate(series.average):
        window = totals[index + 1 : index + 13]
        assert abs(average * 12 - sum(window)) <= Decimal("0.06")  # rounded to the cent


def test_months_before_the_first_expense_are_unknown_not_zero():
    # Nothing until month 15 (of 24), then 30 a month: no year-earlier figures at all,
    # and the average is 30 from the first month with an expense (no ramp from zero).
    history = [
        MonthTotal(add_months(FIRST, i).strftime("%Y-%m"), Decimal(30 if i >= 15 else 0),
                   1 if i >= 15 else 0)
        for i in range(24)
    ]  # fmt: skip
    series = compare(history)
    assert series.year_earlier == [None] * 12
    assert series.average == [None] * 3 + [Decimal(30)] * 9
