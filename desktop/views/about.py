"""Help → About: the app's version and the version of the server it talks to."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop.session import Session
from desktop.workers import Runner


def app_version() -> str:
    try:
        return version("expense-tracker")
    except PackageNotFoundError:  # a source tree that was never installed
        return "development"


class AboutDialog(QDialog):
    """Shows at once; the server's version arrives from a worker when it answers."""

    def __init__(self, session: Session, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Expense Tracker")
        title = QLabel(f"<h3>Expense Tracker {app_version()}</h3>")
        self.server = QLabel(f"Server: {session.client.base_url} — asking for its version…")
        self.server.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(QLabel("Personal expenses, kept by your own Expense Tracker server."))
        layout.addWidget(self.server)
        layout.addWidget(buttons)
        base_url = session.client.base_url
        runner.submit(
            session.client.server_version,
            lambda found: self.server.setText(f"Server: {base_url} — API version {found}"),
            lambda _error: self.server.setText(f"Server: {base_url} — not reachable right now"),
            owner=self,
        )
