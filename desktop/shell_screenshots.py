"""Screenshots of the app's shell for docs/screenshots (``demo --screenshot``).

The command palette, the Account dialog and the tags manager over the window, a
split expense's parts, the window as a 1080p screen at 200 % shows it, and the
high-contrast theme; the Budgets view, and the dashboard scrolled to its Upcoming
panel with the compare overlays on.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QSize
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop import wizard_screenshots
from desktop.demo_window import settle, wait_until
from desktop.views import shell_commands
from desktop.views.main_actions import BUDGETS, DASHBOARD, EXPENSES
from desktop.views.main_window import MainWindow
from desktop.views.theme import apply_theme
from desktop.views.toast import Toast

SCALED_SIZE = QSize(960, 540)  # a 1920 x 1080 screen at 200 %: logical pixels


def render(window: MainWindow, directory: Path) -> list[Path]:
    paths: list[Path] = []
    window.show_view(EXPENSES)
    wait_until(lambda: window.expenses.model.rowCount() > 0 and window.runner.pending == 0)
    # A toast left by the screenshots before (the offline save) belongs to none of these.
    for toast in window.findChildren(Toast):
        toast.hide()

    palette = shell_commands.open_palette(window)
    palette.search.setText("ex")
    paths.append(_save(_over(window, palette), directory / "command-palette.png"))
    palette.reject()

    account = shell_commands.open_account(window)
    paths.append(_save(_over(window, account), directory / "account.png"))
    account.reject()

    tags = shell_commands.open_tags(window)
    wait_until(lambda: tags.model.rowCount() > 0 and window.runner.pending == 0, timeout=10)
    if tags.model.rowCount():
        tags.table.selectRow(0)
    paths.append(_save(_over(window, tags), directory / "tags.png"))
    tags.reject()

    split = _split_shot(window, directory / "split.png")
    if split is not None:
        paths.append(split)

    original = window.size()
    window.resize(SCALED_SIZE)
    settle(window)
    paths.append(_save(_scaled(window, 2.0), directory / "scaled-200.png"))
    window.resize(original)

    apply_theme("high-contrast")
    window.show_view(DASHBOARD)
    wait_until(lambda: window.dashboard.data is not None and window.runner.pending == 0)
    window.dashboard.apply_theme()
    settle(window)
    paths.append(_save(window.grab(), directory / "high-contrast-dashboard.png"))
    window.show_view(EXPENSES)
    settle(window)
    paths.append(_save(window.grab(), directory / "high-contrast.png"))
    apply_theme("system")
    window.dashboard.apply_theme()
    paths += _plan_shots(window, directory)
    paths += wizard_screenshots.render(window, directory)
    return paths


def _plan_shots(window: MainWindow, directory: Path) -> list[Path]:
    """budgets.png, and upcoming.png: the dashboard's lower half, overlays on."""
    window.show_view(BUDGETS)
    wait_until(lambda: window.budgets.model.rowCount() > 0 and window.runner.pending == 0)
    window.budgets.table.clearSelection()  # the red of an overspent row shows as it is
    settle(window)
    paths = [_save(window.grab(), directory / "budgets.png")]
    dashboard = window.dashboard
    window.show_view(DASHBOARD)
    wait_until(lambda: dashboard.data is not None and window.runner.pending == 0)
    dashboard.earlier_toggle.setChecked(True)
    dashboard.average_toggle.setChecked(True)
    settle(window)
    bar = dashboard.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle(window)
    paths.append(_save(window.grab(), directory / "upcoming.png"))
    dashboard.earlier_toggle.setChecked(False)
    dashboard.average_toggle.setChecked(False)
    bar.setValue(0)
    window.show_view(EXPENSES)
    return paths


def _split_shot(window: MainWindow, path: Path) -> Path | None:
    """The first split expense in view with its parts open (none in view: no picture)."""
    model, table = window.expenses.model, window.expenses.table
    row = next((r for r in range(model.rowCount()) if model.expense(r).splits), None)
    popup = table.show_split(row) if row is not None else None
    if popup is None:
        return None
    settle(popup)
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(popup.pos()), popup.grab())
    painter.end()
    popup.close()
    return _save(picture, path)


def _over(window: QWidget, dialog: QDialog) -> QPixmap:
    """The dialog centred over a dimmed window, as a person sees it."""
    dialog.adjustSize()
    settle(dialog)
    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 90))
    shot = dialog.grab()
    ratio = shot.devicePixelRatio()
    at = QPoint(
        int((window.width() - shot.width() / ratio) / 2),
        int((window.height() - shot.height() / ratio) / 3),
    )
    painter.drawPixmap(at, shot)
    painter.end()
    return picture


def _scaled(widget: QWidget, factor: float) -> QPixmap:
    """What a screen at ``factor`` shows: every pixel drawn ``factor`` times finer."""
    picture = QPixmap(widget.size() * factor)
    picture.setDevicePixelRatio(factor)
    picture.fill(widget.palette().window().color())
    widget.render(picture)
    return picture


def _save(picture: QPixmap, path: Path) -> Path:
    app = QApplication.instance()
    if app is not None:
        app.processEvents()
    picture.save(str(path), "PNG")
    return path
