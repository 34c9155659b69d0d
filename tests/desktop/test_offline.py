"""Offline: the last data at start, changes queued while the server is away, conflicts."""

from __future__ import annotations

import httpx
import pytest
from PySide6.QtCore import Qt

import desktop.client.expenses
from desktop.local import store_path
from desktop.views import expenses_view, main_sync
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, import_rows, today
from tests.support import ApiServer, register_and_login


@pytest.fixture
def own_server(database_url, tmp_path):
    """A server this test may stop and start again (on the same port)."""
    server = ApiServer(database_url, tmp_path / "server.log").start()
    yield server
    server.stop()


@pytest.fixture
def online(qtbot, make_window, own_server, ui_thread_guard, monkeypatch):
    """A window signed in on ``own_server`` with 12 expenses, pages of 5 (3 pages)."""
    monkeypatch.setattr(desktop.client.expenses, "FIRST_PAGE_SIZE", 5)
    monkeypatch.setattr(desktop.client.expenses, "PAGE_SIZE", 5)
    http = httpx.Client(base_url=own_server.url, timeout=30)
    account = register_and_login(http)
    import_rows(http, account, [(today(), "Food", f"Item {i:02}", f"{i}.00") for i in range(1, 13)])
    window = make_window(server=own_server.url)
    with ui_thread_guard.test_calls():
        window.session.sign_in(account.email, account.password)
    window.start()
    qtbot.waitUntil(lambda: window.summary is not None, timeout=WAIT_MS)
    scroll_to_end(qtbot, window)
    yield window, http, account
    http.close()


def scroll_to_end(qtbot, window) -> None:
    model = window.expenses.model
    qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    while model.canFetchMore():
        model.fetchMore()
        qtbot.waitUntil(lambda: not model.loading, timeout=WAIT_MS)
    idle(qtbot, window)


def go_offline(qtbot, window, server) -> None:
    server.stop()
    window.refresh_action.trigger()  # any request now finds no server
    qtbot.waitUntil(lambda: window.operations.offline, timeout=WAIT_MS)
    idle(qtbot, window)


def edit_first_row(qtbot, window, amount: str, description: str) -> None:
    window.expenses.select_row(0)
    window.edit_action.trigger()
    dialog = window.expenses.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.amount.setText(amount)
    dialog.description.setText(description)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    idle(qtbot, window)


def test_a_restart_without_a_server_shows_the_cached_data_and_syncs_later(
    qtbot, online, make_window, own_server, app_settings, monkeypatch
):
    window, http, account = online
    window.close()
    own_server.stop()

    again = make_window(server=own_server.url, settings=app_settings)
    # At once, before any request: the first page from the last run.
    assert again.expenses.model.rowCount() == 5
    assert again.expenses.model.expense(0).description == "Item 12"
    assert {c.name for c in again.categories.categories} >= {"Food"}
    again.start()  # the stored session cannot be resumed: no server
    qtbot.waitUntil(lambda: again.operations.offline, timeout=WAIT_MS)
    assert again.login is None  # browsing offline, not asked to sign in
    scroll_to_end(qtbot, again)
    assert again.expenses.model.rowCount() == 12  # every page seen before
    assert again.sync_label.text() == "Offline — 0 changes waiting"
    qtbot.waitUntil(lambda: again.count_label.text() == "12 expenses", timeout=WAIT_MS)
    assert not again.banner.isVisible()  # the kept data, not an error

    monkeypatch.setattr(expenses_view, "confirm_delete", lambda _p, _n: True)
    again.expenses.select_row(1)  # Item 11
    again.delete_action.trigger()
    edit_first_row(qtbot, again, "99.00", "Edited offline")
    assert again.sync_label.text() == "Offline — 2 changes waiting"
    assert again.expenses.model.rowCount() == 11  # the delete shows at once
    assert again.expenses.model.expense(0).description == "Edited offline"

    own_server.start()
    again.operations.sync()  # the retry timer's job: signs in again, then sends
    qtbot.waitUntil(lambda: again.operations.waiting() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: again.sync_label.text() == "All changes saved", timeout=WAIT_MS)
    expenses = {e["description"]: e["amount"] for e in all_expenses(http, account)}
    assert len(expenses) == 11
    assert "Item 11" not in expenses
    assert expenses["Edited offline"] == "99.00"


def test_an_offline_edit_that_meets_a_newer_version_opens_the_conflict_dialog(
    qtbot, online, own_server
):
    window, http, account = online
    go_offline(qtbot, window, own_server)
    edit_first_row(qtbot, window, "50.00", "Mine offline")
    assert window.operations.waiting() == 1

    own_server.start()
    [theirs] = [e for e in all_expenses(http, account) if e["description"] == "Item 12"]
    changed = http.patch(
        f"/api/v1/expenses/{theirs['id']}",
        json={"description": "Theirs on the phone", "notes": "from the phone"},
        headers=account.headers,
    )
    assert changed.status_code == 200
    window.operations.sync()
    qtbot.waitUntil(lambda: window.conflict_dialog is not None, timeout=WAIT_MS)
    dialog = window.conflict_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    assert "resolve the conflict" in window.sync_label.text()
    assert dialog.choices["amount"].button(1).text() == "50.00"
    assert dialog.choices["amount"].button(2).text() == "12.00"
    assert dialog.choices["description"].button(2).text() == "Theirs on the phone"
    dialog.choose("amount", theirs=False)  # field by field: my amount, their text
    dialog.choose("description", theirs=True)
    dialog.choose("notes", theirs=True)
    dialog.use_selected.click()
    qtbot.waitUntil(lambda: window.operations.waiting() == 0, timeout=WAIT_MS)
    idle(qtbot, window)
    [after] = [e for e in all_expenses(http, account) if e["id"] == theirs["id"]]
    assert (after["amount"], after["description"], after["notes"]) == (
        "50.00",
        "Theirs on the phone",
        "from the phone",
    )


@pytest.mark.parametrize("choice", ["keep_mine", "keep_theirs"])
def test_the_conflict_dialog_keeps_mine_or_theirs(qtbot, online, own_server, choice):
    window, http, account = online
    go_offline(qtbot, window, own_server)
    edit_first_row(qtbot, window, "50.00", "Mine offline")
    own_server.start()
    [theirs] = [e for e in all_expenses(http, account) if e["description"] == "Item 12"]
    http.patch(f"/api/v1/expenses/{theirs['id']}", json={"amount": "1.00"}, headers=account.headers)
    window.operations.sync()
    qtbot.waitUntil(lambda: window.conflict_dialog is not None, timeout=WAIT_MS)
    getattr(window.conflict_dialog, choice).click()
    qtbot.waitUntil(lambda: window.operations.waiting() == 0, timeout=WAIT_MS)
    [after] = [e for e in all_expenses(http, account) if e["id"] == theirs["id"]]
    expected = ("50.00", "Mine offline") if choice == "keep_mine" else ("1.00", "Item 12")
    assert (after["amount"], after["description"]) == expected


def test_sign_out_warns_about_waiting_changes_then_wipes_the_store(
    qtbot, online, own_server, monkeypatch
):
    window, _http, account = online
    path = store_path(window.session.server, account.email)
    assert path.exists()
    go_offline(qtbot, window, own_server)
    edit_first_row(qtbot, window, "3.00", "Not sent")
    asked = []
    monkeypatch.setattr(main_sync, "ask_discard_changes", lambda _p, n: asked.append(n) or False)
    window.sign_out_action.trigger()
    assert asked == [1]
    assert path.exists()  # declined: nothing lost
    assert window.operations.waiting() == 1
    monkeypatch.setattr(main_sync, "ask_discard_changes", lambda _p, n: asked.append(n) or True)
    window.sign_out_action.trigger()
    idle(qtbot, window)
    assert asked == [1, 1]
    assert not path.exists()
    assert window.operations.waiting() == 0


def test_the_store_holds_no_token(qtbot, online):
    window, _http, account = online
    data = store_path(window.session.server, account.email).read_bytes()
    tokens = window.session.client.tokens
    assert tokens is not None
    assert tokens.refresh_token.encode() not in data
    assert tokens.access_token.encode() not in data


def test_changes_queued_before_quitting_are_sent_after_the_next_start(
    qtbot, online, make_window, own_server, app_settings
):
    window, http, account = online
    go_offline(qtbot, window, own_server)
    edit_first_row(qtbot, window, "77.00", "Queued before quitting")
    assert window.operations.waiting() == 1
    window.close()  # nothing to flush: the queue was committed when the edit was made

    own_server.start()
    again = make_window(server=own_server.url, settings=app_settings)
    assert again.operations.waiting() == 1
    again.start()  # resumes the session from the keyring, then sends the queue
    qtbot.waitUntil(lambda: again.operations.waiting() == 0, timeout=WAIT_MS)
    idle(qtbot, again)
    amounts = {e["description"]: e["amount"] for e in all_expenses(http, account)}
    assert amounts["Queued before quitting"] == "77.00"


def test_a_queued_edit_of_an_expense_deleted_elsewhere_is_reported_not_retried(
    qtbot, online, own_server
):
    window, http, account = online
    go_offline(qtbot, window, own_server)
    edit_first_row(qtbot, window, "5.00", "Edited here")
    own_server.start()
    [gone] = [e for e in all_expenses(http, account) if e["description"] == "Item 12"]
    deleted = http.delete(f"/api/v1/expenses/{gone['id']}", headers=account.headers)
    assert deleted.status_code == 204
    window.operations.sync()
    qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
    assert "“Edit expense” could not be sent" in window.banner.text
    assert window.operations.waiting() == 0
    assert "Edited here" not in {e["description"] for e in all_expenses(http, account)}


def test_a_damaged_store_file_does_not_stop_the_app(
    qtbot, make_window, app_settings, api_url, local_data
):
    app_settings.email = "someone@example.com"
    path = store_path(api_url, "someone@example.com")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    window = make_window(settings=app_settings)  # works online only, and says why in the log
    assert window.operations.store.path is None
    assert window.expenses.model.rowCount() == 0
