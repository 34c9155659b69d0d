"""The dashboard's Upcoming panel and the recurring manager, against the real API:
overdue first, "Record now" posts the occurrence as an undoable op, plans are edited
and deleted (both undone), and a suggestion from the history becomes a plan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt

from desktop.filters import add_months
from desktop.models.recurring import UpcomingModel
from desktop.views.main_actions import DASHBOARD
from desktop.views.recurring_dialog import RecurringDialog
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, category_id, import_rows


def server_today() -> date:
    """The API dates occurrences by its own clock (UTC), not the desktop's fixed one."""
    return datetime.now(UTC).date()


def plan(client, account, **body) -> dict:
    body = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in body.items()}
    response = client.post("/api/v1/recurring", json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


def plan_of(client, account, description: str) -> dict:
    return next(p for p in plans(client, account) if p["description"] == description)


def plans(client, account) -> list[dict]:
    return client.get("/api/v1/recurring", headers=account.headers).json()["items"]


def seed_plans(client, account) -> tuple[dict, dict]:
    bills = category_id(client, account, "Bills")
    gym = plan(client, account, description="Gym", amount="30.00", category_id=bills,
               next_due=server_today() + timedelta(days=10))  # fmt: skip
    late = plan(client, account, description="Streaming", amount="15.99", category_id=bills,
                next_due=server_today() - timedelta(days=5))  # fmt: skip
    return gym, late


def show_upcoming(qtbot, window):
    panel = window.dashboard.upcoming
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS):
        window.show_view(DASHBOARD)
    idle(qtbot, window)
    return panel


def shown(panel) -> list[tuple[str, str]]:
    return [(item.description, item.status) for item in panel.model.items]


def test_upcoming_lists_overdue_first_and_record_now_posts_it(qtbot, signed_in, client, account):
    _gym, late = seed_plans(client, account)
    panel = show_upcoming(qtbot, signed_in)
    # The overdue one first; its next month falls inside the 30 days too.
    assert shown(panel) == [
        ("Streaming", "overdue"),
        ("Gym", "expected"),
        ("Streaming", "expected"),
    ]
    assert panel.summary.text() == "· 1 overdue"
    assert panel.model.index(0, UpcomingModel.ACTION).data() == "Record now"

    # A click on the row's "Record now" link posts it, dated its due day; the
    # dashboard's totals are read again with the list.
    loads = [panel.loaded, signed_in.dashboard.loaded]
    with qtbot.waitSignals(loads, timeout=WAIT_MS):
        rect = panel.table.visualRect(panel.model.index(0, UpcomingModel.ACTION))
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    [recorded] = [e for e in all_expenses(client, account) if e["description"] == "Streaming"]
    assert recorded["spent_on"] == late["next_due"]
    assert recorded["amount"] == "15.99"
    assert recorded.get("recurring_id") == late["id"]
    assert ("Streaming", "overdue") not in shown(panel)
    assert signed_in.undo_action.text() == "Undo Record Streaming"

    idle(qtbot, signed_in)
    signed_in.undo_action.trigger()
    qtbot.waitUntil(
        lambda: not [e for e in all_expenses(client, account) if e["description"] == "Streaming"],
        timeout=WAIT_MS,
    )
    # Posting moved the plan on; undo moves it back to the occurrence.
    qtbot.waitUntil(lambda: plan_of(client, account, "Streaming")["next_due"] == late["next_due"],
                    timeout=WAIT_MS)  # fmt: skip

    # Enter on the selected row records it too; a double-click does not.
    idle(qtbot, signed_in)
    row = next(i for i, item in enumerate(panel.model.items) if item.description == "Gym")
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(row, UpcomingModel.DESCRIPTION))
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton,
                      pos=panel.table.visualRect(panel.model.index(row, 1)).center())  # fmt: skip
    idle(qtbot, signed_in)
    assert not [e for e in all_expenses(client, account) if e["description"] == "Gym"]
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS):
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert [e["description"] for e in all_expenses(client, account)] == ["Gym"]


def test_undoing_record_now_lists_the_occurrence_overdue_again(qtbot, signed_in, client, account):
    seed_plans(client, account)
    panel = show_upcoming(qtbot, signed_in)
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS):
        panel.record_row(0)
    idle(qtbot, signed_in)
    with qtbot.waitSignal(panel.loaded, timeout=WAIT_MS):
        signed_in.undo_action.trigger()
    idle(qtbot, signed_in)
    assert shown(panel)[0] == ("Streaming", "overdue")


def open_manager(qtbot, window) -> RecurringDialog:
    window.recurring_action.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(RecurringDialog)), timeout=WAIT_MS)
    dialog = window.findChildren(RecurringDialog)[-1]
    idle(qtbot, window)
    return dialog


def test_the_manager_edits_and_deletes_plans_with_undo(qtbot, signed_in, client, account):
    seed_plans(client, account)
    dialog = open_manager(qtbot, signed_in)
    assert [p.description for p in dialog.plans.items] == ["Streaming", "Gym"]  # next due first
    assert dialog.plans.index(1, 2).data() == "every month"
    assert dialog.plans.index(1, 5).data() == "Bills"

    dialog.select(dialog.plan_table, 1)
    form = dialog.edit()
    form.amount.setText("32.50")
    form.interval.setValue(2)
    form.save()
    qtbot.waitUntil(lambda: dialog.plans.items[1].interval == 2, timeout=WAIT_MS)
    gym = next(p for p in plans(client, account) if p["description"] == "Gym")
    assert (gym["amount"], gym["interval"]) == ("32.50", 2)
    idle(qtbot, signed_in)
    signed_in.undo_action.trigger()
    qtbot.waitUntil(lambda: dialog.plans.items[1].interval == 1, timeout=WAIT_MS)
    gym = next(p for p in plans(client, account) if p["description"] == "Gym")
    assert (gym["amount"], gym["interval"]) == ("30.00", 1)

    idle(qtbot, signed_in)
    dialog.select(dialog.plan_table, 1)
    dialog.delete()
    qtbot.waitUntil(lambda: len(dialog.plans.items) == 1, timeout=WAIT_MS)
    assert [p["description"] for p in plans(client, account)] == ["Streaming"]
    idle(qtbot, signed_in)
    signed_in.undo_action.trigger()
    qtbot.waitUntil(lambda: len(dialog.plans.items) == 2, timeout=WAIT_MS)
    again = next(p for p in plans(client, account) if p["description"] == "Gym")
    assert (again["amount"], again["every"], again["next_due"]) == (
        "30.00", "month", (server_today() + timedelta(days=10)).isoformat(),
    )  # fmt: skip


def test_a_refused_edit_is_said_in_the_form(qtbot, signed_in, client, account):
    seed_plans(client, account)
    dialog = open_manager(qtbot, signed_in)
    dialog.select(dialog.plan_table, 0)
    form = dialog.edit()
    form.amount.setText("0")
    form.save()
    assert form.isVisible()
    assert form.error.text().startswith("Amount")


def test_a_suggestion_becomes_a_plan(qtbot, signed_in, client, account):
    # Monthly, the latest two days ago: still running, so the history suggests it.
    latest = server_today() - timedelta(days=2)
    day, first = min(latest.day, 28), latest.replace(day=1)
    months = [add_months(first, -n).replace(day=day) for n in (2, 1, 0)]
    import_rows(client, account, [(day, "Bills", "Phone bill", "25.00") for day in months])
    dialog = open_manager(qtbot, signed_in)
    assert dialog.empty.isVisible()
    [suggestion] = dialog.suggested.items
    assert (suggestion.every, suggestion.interval, len(suggestion.expense_ids)) == ("month", 1, 3)
    dialog.select(dialog.suggestion_table, 0)
    dialog.make_recurring()
    qtbot.waitUntil(lambda: len(dialog.plans.items) == 1, timeout=WAIT_MS)
    [made] = plans(client, account)
    assert (made["amount"], made["every"], made["next_due"]) == (
        "25.00", "month", suggestion.next_due.isoformat(),
    )  # fmt: skip
    assert made["description"].casefold() == "phone bill"
