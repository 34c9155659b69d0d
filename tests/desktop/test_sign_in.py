"""Signing up, signing in, silent sign-in, refresh, sign-out, and life without a keyring."""

from __future__ import annotations

import httpx
import keyring.backends.fail
from PySide6.QtCore import Qt

from desktop.session import KEYRING_SERVICE
from desktop.views.main_window import SIGN_OUT_UNCONFIRMED
from tests.desktop.conftest import WAIT_MS, idle
from tests.support import PASSWORD, closed_port, unique_email


def login_dialog(qtbot, window):
    qtbot.waitUntil(lambda: window.login is not None and window.login.isVisible(), timeout=WAIT_MS)
    return window.login


def submit(qtbot, dialog):
    qtbot.mouseClick(dialog.submit, Qt.MouseButton.LeftButton)


def test_sign_up_creates_the_account_and_opens_signed_in(qtbot, make_window, memory_keyring):
    window = make_window()
    window.start()
    dialog = login_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(1)
    email = unique_email("signup")
    qtbot.keyClicks(dialog.email, email)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    qtbot.keyClicks(dialog.display_name, "Ada")
    dialog.currency.setCurrentText("EUR")
    with qtbot.waitSignal(window.signedIn, timeout=WAIT_MS) as signed:
        submit(qtbot, dialog)
    assert signed.args[0].email == email
    assert signed.args[0].currency == "EUR"
    assert not dialog.isVisible()
    assert "Ada · EUR" in window.account_label.text()
    assert window.settings.email == email
    assert list(memory_keyring.secrets.values())  # the refresh token, in the keyring only
    idle(qtbot, window)


def test_sign_up_validates_inline_and_shows_the_api_answer(qtbot, make_window, account):
    window = make_window()
    window.start()
    dialog = login_dialog(qtbot, window)
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.email, "not-an-email")
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.confirm, "shorter")
    assert "email address" in dialog.errors.message("email")
    assert "8 characters" in dialog.errors.message("password")
    assert "do not match" in dialog.errors.message("confirm")
    assert not dialog.submit.isEnabled()
    for field in (dialog.email, dialog.password, dialog.confirm):
        field.clear()
    qtbot.keyClicks(dialog.email, account.email.upper())  # taken, whatever the case
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.confirm, PASSWORD)
    submit(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.errors.message("email") != "", timeout=WAIT_MS)
    assert "already exists" in dialog.errors.message("email")
    assert dialog.isVisible()
    assert dialog.password.text() == PASSWORD  # nothing typed is lost


def test_wrong_password_shows_the_servers_message(qtbot, make_window, account):
    window = make_window()
    window.start()
    dialog = login_dialog(qtbot, window)
    qtbot.keyClicks(dialog.email, account.email)
    qtbot.keyClicks(dialog.password, "wrong password")
    submit(qtbot, dialog)
    qtbot.waitUntil(dialog.banner.isVisible, timeout=WAIT_MS)
    assert "not correct" in dialog.banner.text
    assert dialog.isVisible()
    assert dialog.email.text() == account.email


def test_sign_in_then_silent_sign_in_on_the_next_start(qtbot, make_window, account, memory_keyring):
    first = make_window()
    first.start()
    dialog = login_dialog(qtbot, first)
    qtbot.keyClicks(dialog.email, account.email)
    qtbot.keyClicks(dialog.password, account.password)
    with qtbot.waitSignal(first.signedIn, timeout=WAIT_MS):
        submit(qtbot, dialog)
    idle(qtbot, first)
    stored = dict(memory_keyring.secrets)
    first.close()

    second = make_window()  # same keyring and settings: a restart
    with qtbot.waitSignal(second.signedIn, timeout=WAIT_MS) as signed:
        second.start()
    assert signed.args[0].email == account.email
    assert second.login is None  # no dialog at all
    # Refresh tokens rotate: the keyring now holds the new one, not the used one.
    assert memory_keyring.secrets != stored
    idle(qtbot, second)


def test_an_expired_access_token_is_refreshed_once_transparently(
    signed_in, memory_keyring, ui_thread_guard
):
    client = signed_in.session.client
    before = client.tokens
    # Simulate expiry: the server rejects this access token, the refresh token is fine.
    from wire.auth import TokenPair

    client._tokens = TokenPair("expired.access.token", before.refresh_token, 900)
    with ui_thread_guard.test_calls():
        assert client.me().email == signed_in.session.email
    assert client.tokens.access_token not in ("expired.access.token", before.access_token)
    assert client.tokens.refresh_token in memory_keyring.secrets.values()


def test_sign_out_ends_the_session_on_the_server_and_forgets_it_here(
    qtbot, signed_in, memory_keyring, make_window, api_url
):
    assert memory_keyring.secrets
    refresh_token = signed_in.session.client.tokens.refresh_token
    signed_in.sign_out_action.trigger()
    login_dialog(qtbot, signed_in)
    # Asked of the server itself: a revoked refresh token cannot mint new tokens.
    refused = httpx.post(
        f"{api_url}/api/v1/auth/refresh", json={"refresh_token": refresh_token}, timeout=30
    )
    assert refused.status_code == 401, refused.text
    assert memory_keyring.secrets == {}
    assert signed_in.settings.email == ""
    restarted = make_window()
    restarted.start()
    login_dialog(qtbot, restarted)  # asks again: nothing remembered


def test_without_a_keyring_sign_in_works_and_nothing_is_written(
    qtbot, make_window, account, settings_path
):
    no_keyring = keyring.backends.fail.Keyring()
    window = make_window(backend=no_keyring)
    window.start()
    dialog = login_dialog(qtbot, window)
    qtbot.keyClicks(dialog.email, account.email)
    qtbot.keyClicks(dialog.password, account.password)
    with qtbot.waitSignal(window.signedIn, timeout=WAIT_MS):
        submit(qtbot, dialog)
    idle(qtbot, window)
    assert not window.session.store.available
    window.close()
    written = settings_path.read_text()
    tokens = window.session.client.tokens
    assert tokens.refresh_token not in written
    assert tokens.access_token not in written
    assert KEYRING_SERVICE not in written

    again = make_window(backend=keyring.backends.fail.Keyring())
    again.start()
    login_dialog(qtbot, again)  # the user signs in each session
    assert again.login.email.text() == account.email  # the email (not a secret) is kept


def test_sign_out_says_so_when_the_server_could_not_be_told(qtbot, signed_in, memory_keyring):
    with closed_port() as port:
        signed_in.session.client._http.base_url = f"http://127.0.0.1:{port}"
        signed_in.sign_out_action.trigger()
        dialog = login_dialog(qtbot, signed_in)
    assert dialog.banner.text == SIGN_OUT_UNCONFIRMED
    assert memory_keyring.secrets == {}  # forgotten here all the same
