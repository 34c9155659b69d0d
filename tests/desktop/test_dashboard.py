"""The dashboard shows exactly what the analytics API answers, for the filter's range."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop.filters import Preset, add_months, month_start
from desktop.views.main_window import DASHBOARD
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import import_rows, today


@pytest.fixture
def history(client, account):
    now = today()
    first = month_start(now)
    rows = [
        (now, "Food", "Groceries", "120.00"),
        (first, "Bills", "Rent", "900.00"),
        (first - timedelta(days=1), "Food", "Groceries", "80.00"),
        (add_months(first, -1), "Travel", "Train", "45.50"),
        (add_months(first, -5), "Health", "Dentist", "210.00"),
        (add_months(first, -14), "Other", "Old", "5.00"),
    ]
    import_rows(client, account, rows)
    return rows


def api(client, account, path, **params):
    response = client.get(f"/api/v1/analytics/{path}", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def show_dashboard(qtbot, window):
    with qtbot.waitSignal(window.dashboard.loaded, timeout=WAIT_MS):
        window.show_view(DASHBOARD)
    idle(qtbot, window)
    return window.dashboard


def test_cards_and_charts_equal_the_analytics_api(qtbot, signed_in, client, account, history):
    dashboard = show_dashboard(qtbot, signed_in)
    now = month_start(today())
    monthly = api(client, account, "monthly", **{
        "from": add_months(now, -11).strftime("%Y-%m"), "to": now.strftime("%Y-%m")
    })  # fmt: skip
    shown = [(m.month, str(m.total), m.count) for m in dashboard.trend.months]
    assert shown == [(m["month"], m["total"], m["count"]) for m in monthly["months"]]
    # Fixed clock 2026-05-14: May is 120 + 900, April 80 + 45.50; +712.7 %.
    assert [m["total"] for m in monthly["months"][-2:]] == ["125.50", "1020.00"]
    assert dashboard.this_month.value.text() == "$1,020.00"
    assert dashboard.last_month.value.text() == "$125.50"
    assert dashboard.change.value.text().endswith("712.7%")

    breakdown = api(client, account, "categories", **{"from": "1900-01-01"})
    shown = [(c.name, str(c.total), c.count, c.share) for c in dashboard.breakdown.categories]
    expected = [(c["name"], c["total"], c["count"], c["share"]) for c in breakdown["categories"]]
    assert shown == expected
    assert dashboard.top.value.text() == breakdown["categories"][0]["name"] == "Bills"
    assert [label.toPlainText().strip() for label in dashboard.breakdown.labels] == [
        f"{c['share']:.1%}" for c in breakdown["categories"]
    ]


def test_hover_tooltips_describe_the_bar_under_the_mouse(qtbot, signed_in, history):
    dashboard = show_dashboard(qtbot, signed_in)
    last = len(dashboard.trend.months) - 1
    text = dashboard.trend.describe_at(last, 1.0)
    assert "$1,020.00" in text  # May 2026 under the fixed clock
    assert dashboard.trend.describe_at(last + 3, 1.0) == ""
    top = dashboard.breakdown.categories[0]
    tip = dashboard.breakdown.describe_at(1.0, len(dashboard.breakdown.categories) - 1)
    assert tip.startswith(top.name)
    assert f"{top.share:.1%}" in tip


def test_dashboard_follows_the_date_range(qtbot, signed_in, client, account, history):
    dashboard = show_dashboard(qtbot, signed_in)
    with qtbot.waitSignal(dashboard.loaded, timeout=WAIT_MS):
        signed_in.filters.preset.setCurrentText(Preset.LAST_MONTH.value)
    query = signed_in.filters.query()
    assert (query.date_from, query.date_to) == (date(2026, 4, 1), date(2026, 4, 30))
    assert [c.name for c in dashboard.breakdown.categories] == ["Food", "Travel"]
    assert dashboard.trend.months[-1].month == "2026-04"
    assert dashboard.this_month.title.text() == "APRIL 2026"


def test_save_chart_as_png(qtbot, signed_in, history, tmp_path, monkeypatch):
    dashboard = show_dashboard(qtbot, signed_in)
    target = tmp_path / "chart.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dashboard.save_button.click()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_charts_follow_a_dark_palette(qtbot, signed_in, history, qapp):
    from desktop.demo_window import dark_palette

    dashboard = show_dashboard(qtbot, signed_in)
    original = qapp.palette()
    try:
        qapp.setPalette(dark_palette())
        qtbot.waitUntil(
            lambda: dashboard.trend.backgroundBrush().color().lightness() < 128, timeout=WAIT_MS
        )
    finally:
        qapp.setPalette(original)
