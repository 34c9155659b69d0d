"""The Budgets view against the real API: rows equal the status the server computes, the
bar is painted red when over, inline create and edit are undoable ops, the month switches."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop.models.budgets import LIMIT, PROGRESS, ROLLOVER
from desktop.views.main_actions import BUDGETS
from desktop.views.theme import tones
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import category_id, import_rows


def budgets(client, account) -> list[dict]:
    response = client.get("/api/v1/budgets", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def add_budget(client, account, **body) -> dict:
    response = client.post("/api/v1/budgets", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def food_budget(client, account) -> dict:
    # Food: April 80 of 100 (20 carried), May 150 of 120: over by 30. A refund nets.
    import_rows(client, account, [
        (date(2026, 4, 3), "Food", "Market", "80.00"),
        (date(2026, 5, 2), "Food", "Market", "170.00"),
        (date(2026, 5, 9), "Food", "Market refund", "-20.00"),
        (date(2026, 5, 10), "Bills", "Power", "60.00"),
    ])  # fmt: skip
    food = category_id(client, account, "Food")
    return add_budget(client, account, category_id=food, amount="100", rollover=True,
                      starts="2026-04")  # fmt: skip


def open_budgets(qtbot, window):
    with qtbot.waitSignal(window.budgets.loaded, timeout=WAIT_MS):
        window.view_actions[BUDGETS].trigger()
    idle(qtbot, window)
    return window.budgets


def test_rows_are_the_servers_status_and_the_bar_is_red_when_over(
    qtbot, signed_in, client, account, food_budget
):
    view = open_budgets(qtbot, signed_in)
    assert view.month_label.text() == "May 2026"  # the desktop's fixed clock
    status = client.get(
        "/api/v1/budgets/status", params={"month": "2026-05"}, headers=account.headers
    ).json()
    [line] = status["budgets"]
    assert (line["carried"], line["available"], line["spent"], line["remaining"]) == (
        "20.00", "120.00", "150.00", "-30.00",
    )  # fmt: skip
    row = view.model.row(0)
    assert row.over
    assert row.line.spent == Decimal("150.00")
    assert view.model.index(0, PROGRESS).data() == "$150.00 of $120.00"
    assert view.model.index(0, LIMIT).data() == "$100.00"
    # The painted bar's left end is the "over" red, no widget in the cell.
    assert view.table.indexWidget(view.model.index(0, PROGRESS)) is None
    rect = view.table.visualRect(view.model.index(0, PROGRESS))
    image = view.table.viewport().grab().toImage()
    ratio = image.devicePixelRatio()
    pixel = image.pixelColor(
        QPoint(int((rect.left() + 14) * ratio), int((rect.top() + 11) * ratio))
    )
    assert pixel.name() == tones().increase.name()


def test_the_month_switcher_shows_an_earlier_month(qtbot, signed_in, food_budget):
    view = open_budgets(qtbot, signed_in)
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.previous_button.click()
    assert view.month_label.text() == "April 2026"
    line = view.model.row(0).line
    assert (line.spent, line.carried, line.projected) == (Decimal(80), Decimal(0), Decimal(80))
    assert not view.model.row(0).over
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.previous_button.click()
    assert view.model.rowCount() == 0
    assert view.empty.isVisible()


def test_create_inline_then_edit_the_limit_and_rollover_with_undo(
    qtbot, signed_in, client, account
):
    view = open_budgets(qtbot, signed_in)
    assert view.empty.isVisible()
    view.category.setCurrentIndex(0)  # all spending
    qtbot.keyClicks(view.amount, "250")
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.add_button.click()
    [made] = budgets(client, account)
    assert (made["category_id"], made["amount"], made["starts"]) == (None, "250.00", "2026-05")
    assert view.model.rowCount() == 1
    assert view.amount.text() == ""

    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        assert view.model.setData(view.model.index(0, LIMIT), "300")
    assert budgets(client, account)[0]["amount"] == "300.00"
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.model.setData(
            view.model.index(0, ROLLOVER), Qt.CheckState.Checked.value,
            Qt.ItemDataRole.CheckStateRole,
        )  # fmt: skip
    assert budgets(client, account)[0]["rollover"] is True
    assert signed_in.undo_action.text() == "Undo Edit budget for all spending"
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        signed_in.undo_action.trigger()
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        signed_in.undo_action.trigger()
    assert budgets(client, account)[0]["amount"] == "250.00"
    assert budgets(client, account)[0]["rollover"] is False


def test_delete_is_undone_by_creating_it_again(qtbot, signed_in, client, account, food_budget):
    view = open_budgets(qtbot, signed_in)
    view.table.selectRow(0)
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.delete_button.click()
    assert budgets(client, account) == []
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        signed_in.undo_action.trigger()
    [back] = budgets(client, account)
    assert (back["amount"], back["rollover"], back["starts"]) == ("100.00", True, "2026-04")
    assert view.model.row(0).line.carried == Decimal("20.00")


def test_a_refused_limit_says_why_without_a_request(qtbot, signed_in, client, account):
    view = open_budgets(qtbot, signed_in)
    qtbot.keyClicks(view.amount, "-5")
    view.add_button.click()
    assert view.banner.isVisible()
    assert "limit" in view.banner.text.lower()
    assert budgets(client, account) == []


def test_the_palette_and_ctrl_4_reach_the_view(qtbot, signed_in):
    from desktop.views.command_palette import window_commands

    titles = [command.title.split(" → ")[-1] for command in window_commands(signed_in)]
    assert {"Budgets", "Recurring…", "Back"} <= set(titles)
    assert signed_in.view_actions[BUDGETS].shortcut().toString() == "Ctrl+4"


def test_a_window_that_opens_on_budgets_reads_them_once_signed_in(
    qtbot, make_window, app_settings, account, food_budget, ui_thread_guard
):
    app_settings.view = "budgets"
    window = make_window()
    assert window.stack.currentWidget() is window.budgets
    with ui_thread_guard.test_calls():
        window.session.sign_in(account.email, account.password)
    with qtbot.waitSignal(window.budgets.loaded, timeout=WAIT_MS):
        window.start()
    assert window.budgets.model.rowCount() == 1
    assert not window.filters.isVisible()
