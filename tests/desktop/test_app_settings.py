"""Launch options and what the window remembers between runs (never a token)."""

from __future__ import annotations

from pathlib import Path

from desktop.app import parse_args
from desktop.views.main_window import DASHBOARD, EXPENSES
from tests.desktop.conftest import WAIT_MS, idle


def test_command_line():
    assert parse_args([]).command is None
    assert parse_args(["--server", "https://x.example"]).server == "https://x.example"
    demo = parse_args(["demo", "--screenshot", "shots"])
    assert (demo.command, demo.screenshot) == ("demo", Path("shots"))


def test_view_geometry_and_server_survive_a_restart(qtbot, signed_in, make_window, api_url):
    signed_in.show_view(DASHBOARD)
    qtbot.waitUntil(lambda: signed_in.dashboard.data is not None, timeout=WAIT_MS)
    signed_in.resize(720, 560)  # within the offscreen screen (800x600)
    idle(qtbot, signed_in)
    size = (signed_in.width(), signed_in.height())
    signed_in.close()
    again = make_window()
    assert again.stack.currentWidget() is again.dashboard
    assert (again.width(), again.height()) == size
    assert again.settings.server == api_url
    again.show_view(EXPENSES)
    assert again.settings.view == EXPENSES


def test_help_about_shows_the_app_and_api_versions(qtbot, signed_in, client):
    dialog = signed_in.show_about()
    api_version = client.get("/api/v1/version").json()["version"]
    qtbot.waitUntil(lambda: f"API version {api_version}" in dialog.server.text(), timeout=WAIT_MS)
    assert signed_in.about_action in signed_in.menuBar().actions()[-1].menu().actions()
    assert "Expense Tracker" in dialog.windowTitle()
