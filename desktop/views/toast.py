"""A short-lived note at the bottom of the window, with one action ("Deleted 3 — Undo")."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

SHOWN_MS = 8000


class Toast(QFrame):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("toast")
        self.setStyleSheet(
            "#toast { background: palette(tool-tip-base); border: 1px solid palette(mid);"
            " border-radius: 8px; }"
        )
        self.label = QLabel()
        self.action_button = QPushButton()
        self.action_button.setFlat(True)
        self.action_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.action_button.clicked.connect(self._act)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 6, 6, 6)
        layout.addWidget(self.label)
        layout.addWidget(self.action_button)
        self._action: Callable[[], None] | None = None
        self._timer = QTimer(self, singleShot=True, interval=SHOWN_MS)
        self._timer.timeout.connect(self.hide)
        parent.installEventFilter(self)  # follow the window's size
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text()

    def show_message(
        self, text: str, action: str = "", on_action: Callable[[], None] | None = None
    ) -> None:
        self.label.setText(text)
        self.action_button.setText(action)
        self.action_button.setVisible(bool(action))
        self._action = on_action
        self.adjustSize()
        self._place()
        self.show()
        self.raise_()
        self._timer.start()

    def _act(self) -> None:
        self.hide()
        if self._action:
            self._action()

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move((parent.width() - self.width()) // 2, parent.height() - self.height() - 48)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False
