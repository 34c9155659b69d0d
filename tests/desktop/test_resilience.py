"""When the server goes away mid-session: the change is queued, nothing typed is lost."""

from __future__ import annotations

import httpx
import pytest
import shiboken6
from PySide6.QtCore import Qt

from desktop.models.expenses import DESCRIPTION, is_pending
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses
from tests.support import ApiServer, register_and_login


@pytest.fixture
def own_server(database_url, tmp_path):
    """A server this test may stop and start again (on the same port)."""
    server = ApiServer(database_url, tmp_path / "server.log").start()
    yield server
    server.stop()


def test_a_save_while_the_server_is_down_is_queued_and_sent_once_when_it_is_back(
    qtbot, make_window, own_server, ui_thread_guard
):
    with httpx.Client(base_url=own_server.url, timeout=30) as http:
        account = register_and_login(http)
    window = make_window(server=own_server.url)
    with ui_thread_guard.test_calls():
        window.session.sign_in(account.email, account.password)
    window.start()
    qtbot.waitUntil(lambda: window.summary is not None, timeout=WAIT_MS)
    idle(qtbot, window)

    window.new_action.trigger()
    dialog = window.expenses.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.amount, "42.00")
    qtbot.keyClicks(dialog.description, "Typed before the outage")
    own_server.stop()

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(), timeout=WAIT_MS
    )
    qtbot.waitUntil(lambda: window.operations.offline, timeout=WAIT_MS)
    assert window.sync_label.text() == "Offline — 1 change waiting"
    assert "sent when online" in window.toast.text
    model = window.expenses.model
    assert model.rowCount() == 1  # shown at once, marked as waiting
    assert is_pending(model.expense(0))
    assert model.data(model.index(0, DESCRIPTION)) == "Typed before the outage"
    assert model.data(model.index(0, DESCRIPTION), Qt.ItemDataRole.FontRole).italic()
    window.expenses.select_row(0)
    assert window.expenses.selected_expenses() == []  # nothing to edit on the server yet

    window.refresh_action.trigger()  # offline, a refresh shows what was kept, no error
    idle(qtbot, window)
    assert not window.banner.isVisible()
    assert window.count_label.text() == "0 expenses"
    assert window.sync_label.text() == "Offline — 1 change waiting"

    own_server.start()  # back on the same port: the queue is sent, once
    window.operations.sync()  # what the retry timer does every few seconds
    qtbot.waitUntil(lambda: window.operations.waiting() == 0, timeout=WAIT_MS)
    idle(qtbot, window)
    with httpx.Client(base_url=own_server.url, timeout=30) as http:
        saved = all_expenses(http, account)
    assert [(e["amount"], e["description"]) for e in saved] == [
        ("42.00", "Typed before the outage")
    ]
    assert window.sync_label.text() == "All changes saved"
    qtbot.waitUntil(lambda: not is_pending(model.expense(0)), timeout=WAIT_MS)
    assert model.rowCount() == 1
