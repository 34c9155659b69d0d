"""The dashboard in the base currency: the tag chart, and the "N not converted" badge."""

from __future__ import annotations

from decimal import Decimal

from desktop.views.charts import TagChart
from desktop.views.main_window import DASHBOARD, EXPENSES
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import create_expense, tags


def show_dashboard(qtbot, window) -> None:
    with qtbot.waitSignal(window.dashboard.loaded, timeout=WAIT_MS):
        window.show_view(DASHBOARD)
    idle(qtbot, window)


def test_the_tag_chart_shows_what_the_api_totals(qtbot, signed_in, client, account):
    create_expense(client, account, amount="40.00", category="Food", tags=["trip", "food"])
    create_expense(client, account, amount="12.50", category="Travel", tags=["trip"])
    create_expense(client, account, amount="9.00", category="Other", tags=["gift"])
    create_expense(client, account, amount="-9.00", category="Other", tags=["gift"])
    show_dashboard(qtbot, signed_in)
    dashboard = signed_in.dashboard
    api = client.get("/api/v1/analytics/tags", headers=account.headers).json()
    totals = {t["name"]: Decimal(t["total"]) for t in api["tags"]}
    assert totals == {"food": 40, "gift": 0, "trip": Decimal("52.50")}
    chart: TagChart = dashboard.tag_chart
    # Largest first; a tag whose refunds cancel it has no bar.
    assert [(c.name, c.total) for c in chart.categories] == [
        ("trip", Decimal("52.50")),
        ("food", 40),
    ]
    assert chart.describe_at(10, 1) == "trip\n$52.50 · 2 expenses"
    assert [label.textItem.toPlainText().strip() for label in chart.labels] == ["$52.50", "$40"]
    assert dashboard.tags_title.text() == "By tag"
    assert dashboard.currency_note.text() == "All amounts in USD, your base currency"
    assert not dashboard.badge.isVisible()
    assert tags(client, account)["trip"] == 2


def test_no_tags_says_so_in_the_chart(qtbot, signed_in, client, account):
    create_expense(client, account, amount="5.00", category="Food")
    show_dashboard(qtbot, signed_in)
    chart = signed_in.dashboard.tag_chart
    assert chart.categories == []
    assert chart._empty.scene() is not None  # "No tagged expenses in this period"


def test_the_badge_lists_exactly_the_unconverted_expenses(qtbot, signed_in, client, account):
    # The test database has no rates: the EUR and GBP expenses wait for one.
    create_expense(client, account, amount="10.00", category="Food")
    create_expense(client, account, amount="25.00", category="Food", currency="EUR")
    create_expense(client, account, amount="7.00", category="Food", currency="GBP")
    signed_in.refresh()
    idle(qtbot, signed_in)
    assert signed_in.total_label.text() == "Total $10.00 · 2 expenses not converted"
    signed_in.filters.search.setText("nothing matches this")  # the badge's list ignores it
    show_dashboard(qtbot, signed_in)
    badge = signed_in.dashboard.badge
    assert badge.isVisible()
    assert badge.text() == "2 not converted"
    with qtbot.waitSignal(signed_in.summaryShown, timeout=WAIT_MS):
        badge.click()
    idle(qtbot, signed_in)
    assert signed_in.stack.currentWidget() is signed_in.expenses
    assert signed_in.view_actions[EXPENSES].isChecked()
    assert signed_in.filters.currency.currentText() == "Not converted yet"
    assert signed_in.filters.search.text() == ""
    model = signed_in.expenses.model
    assert sorted(model.expense(r).currency for r in range(model.rowCount())) == ["EUR", "GBP"]
    assert signed_in.summary.unconverted == signed_in.summary.count == 2
