"""The demo's window: signed in with the demo tokens; optional PNG screenshots.

The demo keeps its own QSettings and never touches the keyring, so trying the
demo does not change the user's saved server, session or window layout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktop.client import ApiClient
from desktop.session import Session, TokenStore
from desktop.settings import ORGANISATION, AppSettings
from desktop.views.main_window import DASHBOARD, EXPENSES, MainWindow
from wire.auth import TokenPair

SCREENSHOT_SIZE = (1280, 800)


def open_demo_window(url: str, email: str, tokens: TokenPair) -> MainWindow:
    session = Session(ApiClient(url), TokenStore(), remember=False)
    session.adopt(email, tokens)
    settings = AppSettings(QSettings(ORGANISATION, "Expense Tracker Demo"))
    settings.server = url
    window = MainWindow(session, settings)
    window.setWindowTitle("Expense Tracker — demo")
    window.show()
    window.start()
    return window


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Spin the event loop (workers deliver by signal) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    return True


def settle(window: QWidget, rounds: int = 5) -> None:
    """Let layouts and pyqtgraph finish (one processEvents can miss axis labels)."""
    for _ in range(rounds):
        QCoreApplication.processEvents()
        loop = QEventLoop()
        QTimer.singleShot(30, loop.quit)
        loop.exec()
    window.repaint()


def render_screenshots(window: MainWindow, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    window.resize(*SCREENSHOT_SIZE)
    paths: list[Path] = []
    for name, shoot in (
        ("dashboard", lambda: _dashboard(window)),
        ("expenses", lambda: _expenses(window)),
    ):
        shoot()
        settle(window)
        path = directory / f"{name}.png"
        window.grab().save(str(path), "PNG")
        paths.append(path)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        original = app.palette()
        app.setPalette(dark_palette())
        _dashboard(window)
        settle(window)
        path = directory / "dashboard-dark.png"
        window.grab().save(str(path), "PNG")
        paths.append(path)
        app.setPalette(original)
    return paths


def _dashboard(window: MainWindow) -> None:
    window.show_view(DASHBOARD)
    wait_until(lambda: window.dashboard.data is not None and window.runner.pending == 0)


def _expenses(window: MainWindow) -> None:
    window.show_view(EXPENSES)
    window.expenses.select_row(1)
    wait_until(lambda: window.expenses.model.rowCount() > 0 and window.summary is not None)


def dark_palette() -> QPalette:
    """What a dark system theme hands the app (for the dark screenshot)."""
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#1F2125"),
        (roles.WindowText, "#E6E6E6"),
        (roles.Base, "#26282C"),
        (roles.AlternateBase, "#2C2F34"),
        (roles.Text, "#E6E6E6"),
        (roles.Button, "#2C2F34"),
        (roles.ButtonText, "#E6E6E6"),
        (roles.Highlight, "#3B5BDB"),
        (roles.HighlightedText, "#FFFFFF"),
        (roles.ToolTipBase, "#2C2F34"),
        (roles.ToolTipText, "#E6E6E6"),
        (roles.PlaceholderText, "#8A8F98"),
    ):
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#6B6F76"))
    return palette
