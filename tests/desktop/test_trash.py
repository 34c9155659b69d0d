"""The Trash view: lists deleted expenses; Restore brings them back, Delete forever does not."""

from __future__ import annotations

from desktop.models.trash import DELETED
from desktop.views import trash_view
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, import_rows, today


def trashed(client, account) -> list[str]:
    items = client.get("/api/v1/expenses/trash", headers=account.headers).json()["items"]
    return sorted(item["description"] for item in items)


def open_trash(qtbot, window, count: int):
    window.view_actions["trash"].trigger()
    view = window.trash
    assert window.stack.currentWidget() is view
    qtbot.waitUntil(
        lambda: view.model.rowCount() == count and not view.model.loading, timeout=WAIT_MS
    )
    return view


def select(view, descriptions: set[str]) -> None:
    flags = view.table.selectionModel().SelectionFlag
    view.table.clearSelection()
    for row in range(view.model.rowCount()):
        if view.model.expense(row).description in descriptions:
            view.table.selectionModel().select(view.model.index(row, 0), flags.Select | flags.Rows)


def seed_trash(client, account, names: list[str]) -> None:
    import_rows(client, account, [(today(), "Food", name, "5.00") for name in [*names, "Kept"]])
    for expense in all_expenses(client, account):
        if expense["description"] != "Kept":
            path = f"/api/v1/expenses/{expense['id']}"
            assert client.delete(path, headers=account.headers).status_code == 204


def test_trash_lists_deleted_expenses_and_restore_brings_them_back(
    qtbot, signed_in, client, account
):
    seed_trash(client, account, ["Old coat", "Gym", "Cinema"])
    view = open_trash(qtbot, signed_in, 3)
    assert not signed_in.filters.isVisible()
    assert not view.restore_button.isEnabled()
    select(view, {"Gym", "Cinema"})
    assert view.restore_button.isEnabled()
    view.restore_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert trashed(client, account) == ["Old coat"]
    assert sorted(e["description"] for e in all_expenses(client, account)) == [
        "Cinema", "Gym", "Kept"
    ]  # fmt: skip
    assert signed_in.toast.text == "Restored 2 expenses"
    assert signed_in.undo_action.text() == "Undo Restore 2 expenses"
    signed_in.view_actions["expenses"].trigger()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 3, timeout=WAIT_MS)


def test_delete_forever_purges_after_asking_and_cannot_be_undone(
    qtbot, signed_in, client, account, monkeypatch
):
    seed_trash(client, account, ["Receipt", "Ticket"])
    view = open_trash(qtbot, signed_in, 2)
    asked = []
    monkeypatch.setattr(trash_view, "confirm_purge", lambda _p, n: asked.append(n) or True)
    select(view, {"Ticket"})
    view.purge_button.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert asked == [1]
    assert trashed(client, account) == ["Receipt"]
    assert signed_in.toast.text == "Deleted 1 expense forever"
    assert not signed_in.toast.action_button.isVisible()  # nothing to undo
    assert not signed_in.undo_action.isEnabled()


def test_declining_delete_forever_keeps_it(qtbot, signed_in, client, account, monkeypatch):
    seed_trash(client, account, ["Receipt"])
    view = open_trash(qtbot, signed_in, 1)
    monkeypatch.setattr(trash_view, "confirm_purge", lambda _p, _n: False)
    select(view, {"Receipt"})
    view.purge_button.click()
    idle(qtbot, signed_in)
    assert trashed(client, account) == ["Receipt"]


def test_a_delete_in_the_expenses_view_shows_up_in_the_open_trash(
    qtbot, signed_in, client, account, monkeypatch
):
    import_rows(client, account, [(today(), "Food", "Soon gone", "5.00")])
    open_trash(qtbot, signed_in, 0)
    assert signed_in.trash.empty.isVisible()
    signed_in.view_actions["expenses"].trigger()
    signed_in.refresh_action.trigger()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 1, timeout=WAIT_MS)
    monkeypatch.setattr("desktop.views.expenses_view.confirm_delete", lambda _p, _n: True)
    signed_in.expenses.select_row(0)
    signed_in.delete_action.trigger()
    idle(qtbot, signed_in)
    view = open_trash(qtbot, signed_in, 1)
    assert view.model.expense(0).description == "Soon gone"
    assert view.model.data(view.model.index(0, DELETED))  # the Deleted column has a time
