"""Desktop tests: Qt offscreen, isolated settings, an in-memory keyring, real API.

Windows talk to the session's real API server (``api_url``) over loopback; nothing
HTTP is mocked. The OS keyring is never touched: each test gets its own backend.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import httpx
import keyring.backend
import keyring.errors
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from desktop.client import ApiClient
from desktop.session import Session, TokenStore
from desktop.settings import AppSettings
from desktop.views.main_window import MainWindow

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
WAIT_MS = 15_000
# The desktop's "today" in every test: mid-month, mid-year, so that no preset or
# chart range meets a month or year boundary, and expected values are literals.
FIXED_TODAY = date(2026, 5, 14)
_READS_TODAY = (
    "desktop.filters",
    "desktop.views.filter_bar",
    "desktop.views.charts",
    "desktop.views.dashboard",
    "desktop.views.expense_dialog",
    "desktop.views.transfer",
)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch) -> date:
    for name in _READS_TODAY:
        monkeypatch.setattr(importlib.import_module(name), "today", lambda: FIXED_TODAY)
    return FIXED_TODAY


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@dataclass
class NetworkLog:
    """Every HTTP request the desktop client sent: ``(method, path, on_gui_thread)``.

    ``on_gui_thread`` is true only for requests the app made there; the test's own
    direct calls (inside ``test_calls()``) are logged as not.
    """

    calls: list[tuple[str, str, bool]] = field(default_factory=list)
    direct: bool = False

    @contextlib.contextmanager
    def test_calls(self) -> Iterator[None]:
        """The test itself calls the client here, as a script would (setup, unit tests)."""
        self.direct = True
        try:
            yield
        finally:
            self.direct = False

    def on_gui_thread(self) -> list[tuple[str, str]]:
        return [(method, path) for method, path, on_gui in self.calls if on_gui]

    def endpoints(self) -> set[tuple[str, str]]:
        """Methods and paths, ids replaced by ``{id}``."""
        return {(method, re.sub(r"/\d+", "/{id}", path)) for method, path, _ in self.calls}


# Every way the app can open a window that waits for an answer.
_BLOCKING = {
    QDialog: ("exec",),
    QMessageBox: ("exec", "question", "warning", "critical", "information", "about"),
    QInputDialog: ("exec", "getText", "getItem", "getInt", "getDouble", "getMultiLineText"),
    QFileDialog: (
        "exec", "getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory",
    ),
}  # fmt: skip


class UnansweredDialog(AssertionError):
    """The app opened a modal dialog that the test did not expect to answer."""


@pytest.fixture(autouse=True)
def no_unanswered_dialogs(monkeypatch) -> None:
    """A modal dialog that no test answers fails the test at once, naming itself.

    Offscreen, such a dialog waits for ever inside Qt's C++ event loop, where
    pytest-timeout cannot end it: its exception surfaces in whichever Python slot
    runs next and is swallowed there, so one unexpected prompt hangs the whole run.
    A test that expects a prompt replaces the app's own ``ask_*`` function (or the
    ``QFileDialog`` getter) after this fixture has run.
    """
    for cls, names in _BLOCKING.items():
        for name in names:

            def refuse(*args, _where=f"{cls.__name__}.{name}", **kwargs):
                shown = [a for a in args if isinstance(a, str)]
                raise UnansweredDialog(f"{_where} would wait for an answer: {shown}")

            monkeypatch.setattr(cls, name, refuse)


@pytest.fixture(autouse=True)
def ui_thread_guard(monkeypatch) -> NetworkLog:
    """In every desktop test, the desktop client's HTTP raises when the app sends it
    from the GUI thread (a frozen window in real life); every request is logged.

    Only requests of ``ApiClient`` (its User-Agent) are guarded: the tests' own
    httpx calls, which seed and read the API, run where the test runs.
    """
    log = NetworkLog()
    gui = threading.main_thread()  # QApplication lives on the main thread
    send = httpx.HTTPTransport.handle_request

    def guarded(transport: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        if request.headers.get("user-agent") == "expense-tracker-desktop":
            on_gui = threading.current_thread() is gui and not log.direct
            log.calls.append((request.method, request.url.path, on_gui))
            if on_gui:
                raise RuntimeError(f"{request.method} {request.url.path} on the GUI thread")
        return send(transport, request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", guarded)
    return log


@pytest.fixture(autouse=True)
def local_data(tmp_path, monkeypatch):
    """The offline store's folder: per test, never the user's data folder."""
    import desktop.local.store

    folder = tmp_path / "local-data"
    monkeypatch.setattr(desktop.local.store, "data_root", lambda: folder)
    return folder


@pytest.fixture(autouse=True)
def _qt_app(qapp):
    """Every desktop test gets the one QApplication (QPixmap needs it)."""
    return qapp


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "settings.ini"


@pytest.fixture
def app_settings(settings_path) -> AppSettings:
    return AppSettings(QSettings(str(settings_path), QSettings.Format.IniFormat))


@pytest.fixture
def make_window(
    qtbot, api_url, memory_keyring, app_settings
) -> Iterator[Callable[..., MainWindow]]:
    """Build main windows like ``expense-tracker`` does, against the test API."""
    windows: list[MainWindow] = []

    def make(
        backend: keyring.backend.KeyringBackend | None = None,
        settings: AppSettings | None = None,
        server: str | None = None,
    ) -> MainWindow:
        session = Session(ApiClient(server or api_url), TokenStore(backend or memory_keyring))
        window = MainWindow(session, settings or app_settings)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.runner.shutdown()


def idle(qtbot, window: MainWindow) -> None:
    """Wait until every background call of ``window`` has delivered its result."""
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=WAIT_MS)


@pytest.fixture
def signed_in(qtbot, make_window, account, ui_thread_guard) -> MainWindow:
    """A main window signed in to a fresh account, first page and totals loaded."""
    window = make_window()
    with ui_thread_guard.test_calls():
        window.session.sign_in(account.email, account.password)
    window.start()
    qtbot.waitUntil(lambda: window.summary is not None, timeout=WAIT_MS)
    idle(qtbot, window)
    return window
