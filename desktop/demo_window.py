"""The demo's window: signed in with the demo tokens; optional PNG screenshots.

The demo keeps its own QSettings and never touches the keyring, so trying the
demo does not change the user's saved server, session or window layout.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

import desktop.local.store as local_store
from desktop.client import ApiClient
from desktop.session import Session, TokenStore
from desktop.settings import ORGANISATION, AppSettings
from desktop.views.main_actions import TRASH
from desktop.views.main_window import DASHBOARD, EXPENSES, MainWindow
from wire.auth import TokenPair

SCREENSHOT_SIZE = (1280, 800)
# Two sample statements the demo offers in File → Import… (an OFX, an ambiguous CSV).
DEMO_STATEMENTS = Path(__file__).parent / "demo_statements"


def open_demo_window(url: str, email: str, tokens: TokenPair) -> MainWindow:
    # The demo's API listens on a new port each run, and the offline store is per
    # server: it would leave a file per run in the user's data folder. The demo's
    # store lives in a folder removed when the demo exits (the finalizer of ``scratch``,
    # kept alive by the closure).
    scratch = tempfile.TemporaryDirectory(prefix="expense-demo-store-")
    local_store.data_root = lambda: Path(scratch.name)
    session = Session(ApiClient(url), TokenStore(), remember=False)
    session.adopt(email, tokens)
    settings = AppSettings(QSettings(ORGANISATION, "Expense Tracker Demo"))
    settings.server = url
    window = MainWindow(session, settings)
    window.setWindowTitle("Expense Tracker — demo")
    window.transfer.statements = DEMO_STATEMENTS
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
    paths += render_sync_screenshots(window, directory)
    return paths


# --- the trash, offline status and a conflict (issue 15) ---------------------------
def render_sync_screenshots(window: MainWindow, directory: Path) -> list[Path]:
    """trash.png, offline.png, conflict.png; the demo data is left as it was."""
    paths = [_trash_shot(window, directory), _offline_shot(window, directory)]
    paths.append(_conflict_shot(window, directory))
    return paths


def _trash_shot(window: MainWindow, directory: Path) -> Path:
    from desktop.operations.expenses import delete_expenses

    window.show_view(EXPENSES)
    model = window.expenses.model
    wait_until(lambda: model.rowCount() >= 8 and window.runner.pending == 0)
    doomed = [model.expense(row) for row in (2, 5, 7)]
    window.operations.run(delete_expenses(doomed), window)
    wait_until(lambda: window.operations.waiting() == 0 and window.runner.pending == 0)
    window.show_view(TRASH)
    wait_until(lambda: window.trash.model.rowCount() == 3 and window.runner.pending == 0)
    window.trash.table.selectRow(0)
    path = _shoot(window, directory / "trash.png")
    window.undo()  # back out of the trash: the demo keeps its data
    wait_until(lambda: window.operations.waiting() == 0 and window.runner.pending == 0)
    return path


def _offline_shot(window: MainWindow, directory: Path) -> Path:
    """Two edits made while the server is unreachable: queued, shown at once."""
    from desktop.operations.expenses import edit_expense
    from wire.expenses import ExpenseUpdate

    window.show_view(EXPENSES)
    wait_until(lambda: window.expenses.model.rowCount() >= 2 and window.runner.pending == 0)
    http = window.session.client._http
    real = http.base_url
    http.base_url = "http://127.0.0.1:9"  # nothing listens there: the train's tunnel
    first, second = window.expenses.model.expense(0), window.expenses.model.expense(1)
    window.expenses.select_row(0)
    window.expenses._run(
        edit_expense(first, ExpenseUpdate(description=f"{first.description} (split)")),
        "Saved on this computer",
        removes=False,
    )
    window.operations.run(edit_expense(second, ExpenseUpdate(notes="Receipt in the drawer")))
    wait_until(lambda: window.operations.offline and window.runner.pending == 0)
    path = _shoot(window, directory / "offline.png")
    http.base_url = real
    window.operations.sync()
    wait_until(lambda: window.operations.waiting() == 0 and window.runner.pending == 0)
    window.undo()  # the demo keeps its data: both edits taken back
    window.undo()
    wait_until(lambda: window.operations.waiting() == 0 and window.runner.pending == 0)
    return path


def _conflict_shot(window: MainWindow, directory: Path) -> Path:
    """The dialog a 412 on replay opens, for an expense changed on another device."""
    import msgspec

    from desktop.views.conflict_dialog import ConflictDialog

    mine_from = window.expenses.model.expense(0)
    theirs = msgspec.structs.replace(
        mine_from,
        description=f"{mine_from.description} — shared",
        notes="Changed on the phone",
        version=mine_from.version + 1,
    )
    mine = {"amount": str(mine_from.amount + 5), "description": mine_from.description,
            "notes": "Added on the train", "spent_on": mine_from.spent_on.isoformat(),
            "category_id": mine_from.category_id}  # fmt: skip
    names = {category.id: category.name for category in window.categories.categories}
    dialog = ConflictDialog(mine, theirs, names, window)
    dialog.choose("description", theirs=True)
    dialog.show()
    settle(dialog)
    path = directory / "conflict.png"
    dialog.grab().save(str(path), "PNG")
    dialog.close()
    return path


def _shoot(window: MainWindow, path: Path) -> Path:
    settle(window)
    window.grab().save(str(path), "PNG")
    return path


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
