"""A non-blocking message strip with an action (Retry), in place of modal errors.

A modal box would stop the user mid-task; the banner states what happened, offers
the one useful action, and leaves everything else on screen usable.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from desktop.errors import ApiError, ServerUnreachable
from desktop.views.theme import rgba, tones


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._action: Callable[[], None] | None = None
        self.message = QLabel(wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action_button = QPushButton("Retry")
        self.action_button.clicked.connect(self._run_action)
        close = QToolButton(text="✕", autoRaise=True, toolTip="Dismiss")
        close.setAccessibleName("Dismiss message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(close)
        self.hide()

    @property
    def text(self) -> str:
        return self.message.text()

    def show_error(
        self, error: BaseException, retry: Callable[[], None] | None = None, action: str = "Retry"
    ) -> None:
        self.show_message(describe(error), retry, action, error=True)

    def show_message(
        self,
        text: str,
        action: Callable[[], None] | None = None,
        action_text: str = "Retry",
        *,
        error: bool = False,
    ) -> None:
        colours = tones()
        background = colours.error_bg if error else colours.info_bg
        foreground = colours.error_text if error else colours.text
        self.setStyleSheet(
            f"#banner {{ background: {rgba(background)}; border-radius: 6px; }}"
            f"#banner QLabel {{ color: {rgba(foreground)}; }}"
        )
        self.message.setText(text)
        self._action = action
        self.action_button.setText(action_text)
        self.action_button.setVisible(action is not None)
        self.show()

    def _run_action(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action:
            action()


def describe(error: BaseException) -> str:
    """What to tell a user about ``error``, in plain words."""
    if isinstance(error, ServerUnreachable):
        return str(error)
    if isinstance(error, ApiError):
        if error.status == 503:
            return "The server is up but its database is not answering. Try again shortly."
        return str(error)
    if isinstance(error, OSError):
        return f"Could not use the file: {error.strerror or error}"
    return f"Something went wrong: {error}"
