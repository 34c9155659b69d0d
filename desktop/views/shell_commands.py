"""The window's shell commands: Account…, Tags…, Check for updates, the command palette.

Kept out of ``main_window.py`` so the window stays about data; each function takes
the window and wires a dialog to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.session import Session
from desktop.updates import UpdateCheck, check_for_updates, describe
from desktop.views.account_dialog import AccountDialog
from desktop.views.command_palette import CommandPalette
from desktop.views.tags_dialog import TagsDialog
from desktop.workers import Runner

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow

UPDATES_OFF = (
    "Update checks are off: set EXPENSE_TRACKER_UPDATES_URL to the project's "
    "GitHub “latest release” API address to turn them on."
)


def open_account(window: MainWindow) -> AccountDialog:
    dialog = AccountDialog(window.session, window.runner, window.settings, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.profileChanged.connect(window._signed_in)
    dialog.signedOutEverywhere.connect(
        lambda: _back_to_sign_in(window, "You were signed out on every device.")
    )
    dialog.accountDeleted.connect(
        lambda: _back_to_sign_in(window, "Your account and all its data were deleted.")
    )
    dialog.serverChosen.connect(lambda url: _switch_server(window, url))
    dialog.open()
    return dialog


def open_tags(window: MainWindow) -> TagsDialog:
    """The tags manager, beside the categories manager; its ops run on the window's runner."""
    dialog = TagsDialog(window.session, window.runner, window.operations, window)
    dialog.changed.connect(window.refresh)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def forget_here(session: Session) -> None:
    """The server already ended this session: drop it here too (no request)."""
    session.store.forget(session.server, session.email)
    session.email, session.profile = "", None
    session.client.set_tokens(None)


def _back_to_sign_in(window: MainWindow, notice: str) -> None:
    forget_here(window.session)
    window._signed_out(True)
    if window.login is not None:
        window.login.banner.show_message(notice)


def _switch_server(window: MainWindow, url: str) -> None:
    def switched(confirmed: bool) -> None:
        window.session.use_server(url)
        window.settings.server = url
        window._signed_out(confirmed)
        if window.login is not None:
            window.login.server.setText(url)

    window.runner.submit(window.session.sign_out, switched)


def open_palette(window: MainWindow) -> CommandPalette:
    palette = CommandPalette(window, exclude=window.palette_action)
    palette.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    palette.open()
    return palette


class UpdateDialog(QDialog):
    """Says "Checking…" at once; the answer (and the link) arrives from a worker."""

    def __init__(self, url: str, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check for updates")
        self.setMinimumWidth(460)
        self.message = QLabel("Checking for a new version…", wordWrap=True)
        self.message.setAccessibleName("Update status")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        # A link the user follows in the browser; nothing is downloaded silently.
        self.message.setOpenExternalLinks(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.result: UpdateCheck | None = None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if not url:
            self.message.setText(UPDATES_OFF)
            return
        runner.submit(lambda: check_for_updates(url), self._checked, self._failed, owner=self)

    def _checked(self, result: UpdateCheck) -> None:
        self.result = result
        self.message.setText(describe(result))

    def _failed(self, error: Exception) -> None:
        self.message.setText(f"Could not check for updates. {error}")


def check_updates(window: MainWindow) -> UpdateDialog:
    dialog = UpdateDialog(window.settings.updates_url, window.runner, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
