"""File → Account…: every flow against the real API, driven as a user would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from desktop.views import account_dialog, account_profile, shell_commands
from desktop.views.account_dialog import AccountDialog
from tests.desktop.conftest import WAIT_MS, idle

NEW_PASSWORD = "a brand new passphrase"


def open_account(qtbot, window) -> AccountDialog:
    dialog = shell_commands.open_account(window)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def test_the_menu_opens_the_account_dialog_with_the_profile(qtbot, signed_in, account):
    signed_in.account_action.trigger()
    dialog = signed_in.findChild(AccountDialog)
    assert dialog is not None
    assert dialog.email.text() == account.email
    assert dialog.currency.currentText() == "USD"
    assert dialog.currency.count() > 150  # ISO 4217, not a handful


def test_saving_the_profile_changes_name_and_base_currency(
    qtbot, signed_in, client, account, monkeypatch
):
    # The question before re-converting has its own tests (test_base_currency.py).
    monkeypatch.setattr(account_profile, "confirm_currency_change", lambda *a: True)
    dialog = open_account(qtbot, signed_in)
    dialog.display_name.setText("Ada Lovelace")
    dialog.currency.setCurrentText("EUR")
    qtbot.mouseClick(dialog.save_profile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.profile_status.text() == "Saved.", timeout=WAIT_MS)
    me = client.get("/api/v1/me", headers=account.headers).json()
    assert (me["display_name"], me["currency"]) == ("Ada Lovelace", "EUR")
    assert signed_in.account_label.text() == "Ada Lovelace · EUR"
    idle(qtbot, signed_in)


def fill_passwords(dialog: AccountDialog, current: str, new: str = NEW_PASSWORD) -> None:
    dialog.tabs.setCurrentIndex(1)
    dialog.current_password.setText(current)
    dialog.new_password.setText(new)
    dialog.confirm_password.setText(new)


def test_a_wrong_current_password_is_said_next_to_the_field(qtbot, signed_in):
    dialog = open_account(qtbot, signed_in)
    fill_passwords(dialog, "not my password")
    qtbot.mouseClick(dialog.change_password, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.password_errors.message("current") != "", timeout=WAIT_MS)
    assert dialog.password_errors.message("current") == "That is not your current password."
    assert dialog.change_password.isEnabled()
    assert dialog.isVisible()


def test_too_many_wrong_passwords_says_when_to_try_again(qtbot, signed_in, client, account):
    for _ in range(10):
        wrong = {"current_password": "wrong wrong", "new_password": NEW_PASSWORD}
        client.post("/api/v1/me/password", json=wrong, headers=account.headers)
    dialog = open_account(qtbot, signed_in)
    fill_passwords(dialog, account.password)
    qtbot.mouseClick(dialog.change_password, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.banner.isVisible, timeout=WAIT_MS)
    assert "Too many wrong passwords. Try again in " in dialog.banner.text
    assert "minute" in dialog.banner.text


def test_changing_the_password_keeps_this_computer_signed_in(qtbot, signed_in, client, account):
    dialog = open_account(qtbot, signed_in)
    fill_passwords(dialog, account.password, "short")
    qtbot.mouseClick(dialog.change_password, Qt.MouseButton.LeftButton)
    assert dialog.password_errors.message("new") == "Use at least 8 characters"
    fill_passwords(dialog, account.password)
    qtbot.mouseClick(dialog.change_password, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Password changed" in dialog.password_status.text(), timeout=WAIT_MS)
    # Every other session ended; this one signed in again with the new password.
    assert client.get("/api/v1/me", headers=account.headers).status_code == 401
    login = {"email": account.email, "password": NEW_PASSWORD}
    assert client.post("/api/v1/auth/login", json=login).status_code == 200
    signed_in.refresh()
    idle(qtbot, signed_in)
    assert signed_in.login is None or not signed_in.login.isVisible()


def test_sign_out_everywhere_ends_the_other_session_and_returns_to_sign_in(
    qtbot, signed_in, client, account, monkeypatch
):
    # ``account`` is a second session (the test's own login), as on another device.
    assert client.get("/api/v1/me", headers=account.headers).status_code == 200
    monkeypatch.setattr(account_dialog, "ask_sign_out_everywhere", lambda parent: True)
    dialog = open_account(qtbot, signed_in)
    dialog.tabs.setCurrentIndex(2)
    qtbot.mouseClick(dialog.sign_out_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: signed_in.login is not None and signed_in.login.isVisible(), timeout=WAIT_MS
    )
    assert "signed out on every device" in signed_in.login.banner.text
    assert client.get("/api/v1/me", headers=account.headers).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert refresh.status_code == 401
    assert signed_in.session.profile is None
    assert signed_in.session.client.tokens is None


def test_declining_sign_out_everywhere_does_nothing(qtbot, signed_in, client, account, monkeypatch):
    monkeypatch.setattr(account_dialog, "ask_sign_out_everywhere", lambda parent: False)
    dialog = open_account(qtbot, signed_in)
    qtbot.mouseClick(dialog.sign_out_all, Qt.MouseButton.LeftButton)
    idle(qtbot, signed_in)
    assert client.get("/api/v1/me", headers=account.headers).status_code == 200


def test_deleting_the_account_needs_the_typed_email(qtbot, signed_in, client, account):
    dialog = open_account(qtbot, signed_in)
    dialog.tabs.setCurrentIndex(4)
    qtbot.keyClicks(dialog.confirm_email, "someone@else.example")
    assert not dialog.delete.isEnabled()
    dialog.confirm_email.clear()
    qtbot.keyClicks(dialog.confirm_email, account.email.upper())
    assert dialog.delete.isEnabled()
    qtbot.mouseClick(dialog.delete, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: signed_in.login is not None and signed_in.login.isVisible(), timeout=WAIT_MS
    )
    assert "deleted" in signed_in.login.banner.text
    assert client.get("/api/v1/me", headers=account.headers).status_code == 401
    login = {"email": account.email, "password": account.password}
    assert client.post("/api/v1/auth/login", json=login).status_code == 401


def test_switching_server_signs_out_and_offers_sign_in_there(qtbot, signed_in, api_url):
    dialog = open_account(qtbot, signed_in)
    dialog.server.setText("ftp://nope")
    qtbot.mouseClick(dialog.use_server, Qt.MouseButton.LeftButton)
    assert "https://" in dialog.banner.text
    other = api_url.replace("127.0.0.1", "localhost")
    dialog.server.setText(other + "/")
    qtbot.mouseClick(dialog.use_server, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: signed_in.login is not None and signed_in.login.isVisible(), timeout=WAIT_MS
    )
    assert signed_in.session.server == other
    assert signed_in.login.server.text() == other
    assert signed_in.settings.server == other


@pytest.mark.parametrize("theme", ["dark", "high-contrast", "light"])
def test_the_theme_applies_at_once_and_is_remembered(qtbot, signed_in, theme):
    app = QApplication.instance()
    before = app.palette().color(QPalette.ColorRole.Window)
    dialog = open_account(qtbot, signed_in)
    try:
        dialog.theme.setCurrentIndex(dialog.theme.findData(theme))
        assert signed_in.settings.theme == theme
        window = app.palette().color(QPalette.ColorRole.Window)
        expected = {"dark": "#1f2125", "high-contrast": "#000000", "light": "#f5f6f8"}[theme]
        assert window.name() == expected
    finally:
        dialog.theme.setCurrentIndex(dialog.theme.findData("system"))
    assert app.palette().color(QPalette.ColorRole.Window) == before
    assert signed_in.settings.theme == "system"
