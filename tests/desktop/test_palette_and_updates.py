"""Ctrl+K finds and runs every command; Help → Check for updates reads a release."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar, QWidget

from desktop import updates
from desktop.settings import UPDATES_URL_ENV
from desktop.updates import UpdateCheck, UpdateCheckFailed, check_for_updates, version_key
from desktop.views import shell_commands
from desktop.views.command_palette import CommandPalette, clean, window_commands
from desktop.views.main_actions import DASHBOARD, EXPENSES
from tests.desktop.conftest import WAIT_MS


def palette_of(qtbot, window) -> CommandPalette:
    window.activateWindow()
    window.palette_action.trigger()
    palette = window.findChild(CommandPalette)
    assert palette is not None
    qtbot.waitUntil(palette.isVisible, timeout=WAIT_MS)
    return palette


def test_the_palette_finds_every_action_of_the_window(qtbot, make_window):
    window = make_window()
    palette = palette_of(qtbot, window)
    toggles = {bar.toggleViewAction() for bar in window.findChildren(QToolBar)}
    actions = {
        action
        for action in window.findChildren(QAction)
        if action.text() and not action.isSeparator() and action.menu() is None
        and action is not window.palette_action and action not in toggles
        and isinstance(action.parent(), QWidget)  # not pyqtgraph's scene menu
    }  # fmt: skip
    listed = {command.action for command in palette.commands}
    assert actions - listed == set(), [clean(a.text()) for a in actions - listed]
    for command in palette.commands:
        palette.search.setText(clean(command.action.text()))
        assert command.title in palette.visible_titles(), command.title
    palette.reject()


def test_each_command_shows_its_shortcut_and_words_filter(qtbot, make_window):
    window = make_window()
    commands = {c.title: c.keys for c in window_commands(window)}
    assert commands["Edit → New"] == "Ctrl+N"
    assert commands["View → Dashboard"] == "Ctrl+2"
    assert commands["File → Account…"] == "Ctrl+,"
    palette = palette_of(qtbot, window)
    palette.search.setText("dash view")
    assert palette.visible_titles() == ["View → Dashboard"]
    palette.search.setText("ctrl+1")
    assert palette.visible_titles() == ["View → Expenses"]
    palette.search.setText("no such command")
    assert palette.visible_titles() == []
    palette.reject()


def test_enter_runs_the_chosen_command(qtbot, make_window):
    window = make_window()
    window.show_view(EXPENSES)
    palette = palette_of(qtbot, window)
    qtbot.keyClicks(palette.search, "dashboard")
    qtbot.keyClick(palette.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.settings.view == DASHBOARD, timeout=WAIT_MS)
    assert window.findChild(CommandPalette) is None  # closed and gone


def test_arrows_choose_and_disabled_commands_do_not_run(qtbot, make_window):
    window = make_window()
    palette = palette_of(qtbot, window)
    first = palette.current_row()
    qtbot.keyClick(palette.search, Qt.Key.Key_Down)
    assert palette.current_row() == first + 1
    assert palette.focusWidget() is palette.search  # typing goes on
    palette.search.setText("Delete")  # nothing selected in the table: disabled
    (item,) = palette.items()
    assert not item.flags() & Qt.ItemFlag.ItemIsEnabled
    palette.run_current()
    assert palette.isVisible()
    palette.reject()


# --- updates ------------------------------------------------------------------------------
RELEASE = {
    "tag_name": "v9.1.0",
    "name": "Expense Tracker 9.1",
    "html_url": "https://github.com/example/expense-tracker/releases/tag/v9.1.0",
    "draft": False,
    "prerelease": False,
    "assets": [],
}


class ReleaseServer:
    """GitHub's "latest release" endpoint, played by http.server on loopback."""

    def __init__(self) -> None:
        self.body: bytes = json.dumps(RELEASE).encode()
        self.status = 200
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(owner.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/repos/example/expense-tracker/releases/latest"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def releases() -> Iterator[ReleaseServer]:
    server = ReleaseServer()
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_versions_compare_as_numbers():
    assert version_key("v1.10.0") > version_key("1.9.9")
    assert version_key("1.2") == version_key("v1.2.0")
    assert version_key("1.2.0rc1") < version_key("1.2.0")
    assert version_key("development") is None
    assert UpdateCheck("0.1.0", "v9.1.0", "https://x").newer_available
    assert not UpdateCheck("9.1.0", "v9.1.0", "https://x").newer_available
    assert UpdateCheck("development", "v9.1.0", "https://x").newer_available


def test_a_newer_release_is_shown_with_a_link_and_nothing_downloaded(
    qtbot, make_window, releases, monkeypatch
):
    monkeypatch.setenv(UPDATES_URL_ENV, releases.url)
    threads = []
    real_get = updates.httpx.get

    def recording_get(*args, **kwargs):
        threads.append(threading.current_thread())
        return real_get(*args, **kwargs)

    monkeypatch.setattr(updates.httpx, "get", recording_get)
    window = make_window()
    assert window.updates_action.isEnabled()
    window.updates_action.trigger()
    dialog = window.findChild(shell_commands.UpdateDialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=WAIT_MS)
    text = dialog.message.text()
    assert "Expense Tracker 9.1.0 is available" in text
    assert f'<a href="{RELEASE["html_url"]}">' in text
    assert dialog.message.openExternalLinks()
    assert releases.requests == ["/repos/example/expense-tracker/releases/latest"]
    assert threads
    assert threading.main_thread() not in threads  # never on the GUI thread


def test_the_latest_version_says_so(releases):
    releases.body = json.dumps({**RELEASE, "tag_name": "v0.1.0"}).encode()
    result = check_for_updates(releases.url, current="0.1.0")
    assert not result.newer_available


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (404, b"{}", "No release has been published yet."),
        (500, b"oops", "answered 500"),
        (200, b"<html>", "not a release"),
        (
            200,
            json.dumps({**RELEASE, "html_url": "javascript:alert(1)"}).encode(),
            "not a web page",
        ),
    ],
)
def test_a_bad_answer_is_a_clear_message(releases, status, body, message):
    releases.status, releases.body = status, body
    with pytest.raises(UpdateCheckFailed, match=message):
        check_for_updates(releases.url, current="0.1.0")


def test_an_unreachable_release_server_is_said_in_the_dialog(qtbot, make_window, monkeypatch):
    monkeypatch.setenv(UPDATES_URL_ENV, "http://127.0.0.1:9/releases/latest")
    window = make_window()
    dialog = shell_commands.check_updates(window)
    qtbot.waitUntil(lambda: "Could not check" in dialog.message.text(), timeout=WAIT_MS)
    assert "127.0.0.1" in dialog.message.text()


def test_without_a_url_the_check_is_off(make_window, monkeypatch):
    monkeypatch.delenv(UPDATES_URL_ENV, raising=False)
    window = make_window()
    assert not window.updates_action.isEnabled()
    assert "EXPENSE_TRACKER_UPDATES_URL" in window.updates_action.toolTip()
