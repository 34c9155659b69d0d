"""Click-through: a click on a bar of any dashboard chart opens the expenses table
filtered to exactly that bar's expenses — its total is the bar's total — and Back
(the button or Alt+Left) returns to the dashboard as it was."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPointF, Qt

from desktop.filters import Preset
from desktop.views.main_actions import DASHBOARD
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import category_id, create, import_rows


@pytest.fixture
def history(client, account):
    import_rows(client, account, [
        (date(2026, 5, 3), "Food", "Groceries", "120.00"),
        (date(2026, 5, 1), "Bills", "Rent", "900.00"),
        (date(2026, 4, 30), "Food", "Groceries", "80.00"),
        (date(2026, 4, 12), "Food", "Refund", "-15.25"),
        (date(2026, 4, 2), "Travel", "Train", "45.50"),
        (date(2025, 12, 5), "Health", "Dentist", "210.00"),
    ])  # fmt: skip
    food = category_id(client, account, "Food")
    for day, amount, tags in (
        (date(2026, 5, 8), "33.10", ["trip"]),
        (date(2026, 4, 20), "12.40", ["trip", "snacks"]),
    ):
        create(client, account, spent_on=day, amount=amount, category_id=food,
               description="Kiosk", tags=tags)  # fmt: skip


def show_dashboard(qtbot, window):
    with qtbot.waitSignal(window.dashboard.loaded, timeout=WAIT_MS):
        window.show_view(DASHBOARD)
    idle(qtbot, window)
    return window.dashboard


def click_bar(qtbot, chart, x: float, y: float) -> None:
    """A real left click at view coordinates ``(x, y)`` of a pyqtgraph chart."""
    scene = chart.plotItem.vb.mapViewToScene(QPointF(x, y))
    qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=chart.mapFromScene(scene))


def drilled(qtbot, window):
    """Wait for the filtered table and its server-side summary."""
    qtbot.waitUntil(
        lambda: window.stack.currentWidget() is window.expenses and window.summary is not None,
        timeout=WAIT_MS,
    )
    idle(qtbot, window)
    return window.summary


def test_a_month_bar_opens_exactly_that_months_expenses(qtbot, signed_in, history):
    dashboard = show_dashboard(qtbot, signed_in)
    april = next(i for i, m in enumerate(dashboard.trend.months) if m.month == "2026-04")
    bar = dashboard.trend.months[april]
    click_bar(qtbot, dashboard.trend, april, float(bar.total) / 2)
    summary = drilled(qtbot, signed_in)
    query = signed_in.filters.query()
    assert (query.date_from, query.date_to) == (date(2026, 4, 1), date(2026, 4, 30))
    assert signed_in.filters.current_preset() == Preset.CUSTOM
    assert summary.total == bar.total == Decimal("122.65")  # 80 - 15.25 + 45.50 + 12.40
    assert signed_in.expenses.model.rowCount() == summary.count == 4
    assert "$122.65" in signed_in.total_label.text()
    assert signed_in.back_button.isVisible()


def test_a_category_bar_and_a_tag_bar_open_their_expenses(qtbot, signed_in, history):
    dashboard = show_dashboard(qtbot, signed_in)
    categories = dashboard.breakdown.categories
    food = next(i for i, c in enumerate(categories) if c.name == "Food")
    click_bar(
        qtbot, dashboard.breakdown, float(categories[food].total) / 2, len(categories) - 1 - food
    )
    summary = drilled(qtbot, signed_in)
    assert signed_in.filters.query().category_id == categories[food].category_id
    assert signed_in.filters.current_preset() == Preset.ALL_TIME  # the dashboard's own range
    assert summary.total == categories[food].total == Decimal("230.25")

    signed_in.back_action.trigger()
    qtbot.waitUntil(lambda: dashboard.data is not None and not dashboard.dirty, timeout=WAIT_MS)
    idle(qtbot, signed_in)
    tags = dashboard.tag_chart.categories
    trip = next(i for i, t in enumerate(tags) if t.name == "trip")
    signed_in.summary = None
    click_bar(qtbot, dashboard.tag_chart, float(tags[trip].total) / 2, len(tags) - 1 - trip)
    summary = drilled(qtbot, signed_in)
    assert signed_in.filters.query().tags == ("trip",)
    assert signed_in.filters.query().category_id is None
    assert summary.total == tags[trip].total == Decimal("45.50")
    assert signed_in.expenses.model.rowCount() == 2


def test_back_returns_to_the_dashboard_as_it_was(qtbot, signed_in, history):
    signed_in.resize(900, 520)  # small enough that the dashboard scrolls
    signed_in.filters.preset.setCurrentText(Preset.THIS_YEAR.value)
    signed_in.filters.search.setText("left over from the table")
    dashboard = show_dashboard(qtbot, signed_in)
    bar = dashboard.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=WAIT_MS)
    bar.setValue(bar.maximum())
    scrolled = bar.value()
    may = len(dashboard.trend.months) - 1
    dashboard.trend.barClicked.emit(may)
    drilled(qtbot, signed_in)
    assert signed_in.filters.query().text == ""  # exactly the bar: no search left over
    qtbot.keyClick(signed_in, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: signed_in.stack.currentWidget() is dashboard, timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert signed_in.filters.current_preset() == Preset.THIS_YEAR
    assert signed_in.filters.search.text() == "left over from the table"
    assert bar.value() == scrolled
    assert not signed_in.back_action.isEnabled()
    assert not signed_in.back_button.isVisible()


def test_a_split_receipt_counts_its_part_under_the_category_bar(
    qtbot, signed_in, client, account, history
):
    food, bills = (category_id(client, account, name) for name in ("Food", "Bills"))
    create(client, account, spent_on=date(2026, 4, 25), amount="50.00", description="Market",
           splits=[{"category_id": food, "amount": "30.00"},
                   {"category_id": bills, "amount": "20.00"}])  # fmt: skip
    dashboard = show_dashboard(qtbot, signed_in)
    categories = dashboard.breakdown.categories
    index = next(i for i, c in enumerate(categories) if c.name == "Food")
    assert categories[index].total == Decimal("260.25")  # 230.25 and the receipt's 30
    dashboard.breakdown.barClicked.emit(index)
    summary = drilled(qtbot, signed_in)
    assert summary.total == categories[index].total
