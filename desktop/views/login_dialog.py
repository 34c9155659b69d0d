"""Sign in / create account: one dialog, two modes, validated as you type."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ApiError, ServerUnreachable
from desktop.session import Session
from desktop.views.banner import Banner
from desktop.views.forms import FieldErrors
from desktop.workers import Runner
from wire.auth import Profile

# The same shape the API accepts; the API still decides.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "JPY", "CHF", "INR", "BRL", "MXN", "SEK")
MIN_PASSWORD = 8


class LoginDialog(QDialog):
    signedIn = Signal(object)  # Profile

    def __init__(
        self,
        session: Session,
        runner: Runner,
        notice: str = "",
        parent: QWidget | None = None,
        email: str = "",
    ) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        self.setWindowTitle("Sign in — Expense Tracker")
        self.setMinimumWidth(420)
        self.tabs = QTabBar()
        self.tabs.addTab("Sign in")
        self.tabs.addTab("Create account")
        self.tabs.setExpanding(True)
        self.tabs.currentChanged.connect(self._mode_changed)
        self.banner = Banner()
        self.server = QLineEdit(session.server, placeholderText="https://expenses.example.com")
        self.email = QLineEdit(email or session.email, placeholderText="you@example.com")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.display_name = QLineEdit(placeholderText="Optional")
        self.currency = QComboBox()
        self.currency.addItems(CURRENCIES)
        self.errors = FieldErrors()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.errors.add_row(form, "Server", "server", self.server)
        self.errors.add_row(form, "Email", "email", self.email)
        self.errors.add_row(form, "Password", "password", self.password)
        self.errors.add_row(form, "Confirm password", "confirm", self.confirm)
        self.errors.add_row(form, "Name", "display_name", self.display_name)
        self.errors.add_row(form, "Currency", "currency", self.currency)
        self._form = form
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.submit = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.attempt)
        self.buttons.rejected.connect(self.reject)
        title = QLabel("<h2>Expense Tracker</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.tabs)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._touched: set[str] = set()
        for name in ("server", "email", "password", "confirm"):
            field: QLineEdit = getattr(self, name)
            field.textEdited.connect(lambda _t, n=name: self._touch(n))
        self._mode_changed(0)
        if notice:
            self.banner.show_message(notice)
        (self.password if self.email.text() else self.email).setFocus()

    @property
    def signing_up(self) -> bool:
        return self.tabs.currentIndex() == 1

    def _mode_changed(self, _index: int) -> None:
        for name in ("confirm", "display_name", "currency"):
            self._form.setRowVisible(self.errors.inputs[name].parentWidget(), self.signing_up)
        self.submit.setText("Create account" if self.signing_up else "Sign in")
        self.banner.hide()
        self._validate()

    def _touch(self, name: str) -> None:
        self._touched.add(name)
        self._validate()

    def problems(self) -> dict[str, str]:
        """Client-side checks; the server still has the last word."""
        found: dict[str, str] = {}
        if not self.server.text().strip().startswith(("http://", "https://")):
            found["server"] = "Enter the server address, starting with http:// or https://"
        if not _EMAIL.match(self.email.text().strip()):
            found["email"] = "Enter an email address like you@example.com"
        if self.signing_up and len(self.password.text()) < MIN_PASSWORD:
            found["password"] = f"Use at least {MIN_PASSWORD} characters"
        elif not self.password.text():
            found["password"] = "Enter your password"  # noqa: S105  (a message)
        if self.signing_up and self.confirm.text() != self.password.text():
            found["confirm"] = "The passwords do not match"
        return found

    def _validate(self) -> None:
        problems = self.problems()
        for name in ("server", "email", "password", "confirm"):
            self.errors.set(name, problems.get(name, "") if name in self._touched else "")
        self.submit.setEnabled(not problems)

    def attempt(self) -> None:
        self._touched.update(("server", "email", "password", "confirm"))
        self._validate()
        if self.problems():
            return
        self.session.use_server(self.server.text())
        email, password = self.email.text().strip(), self.password.text()
        if self.signing_up:
            name, currency = self.display_name.text(), self.currency.currentText()
            work = lambda: self.session.sign_up(email, password, name, currency)  # noqa: E731
        else:
            work = lambda: self.session.sign_in(email, password)  # noqa: E731
        self._set_busy(True)
        self.runner.submit(work, self._done, self._failed, channel="login", owner=self)

    def _set_busy(self, busy: bool) -> None:
        self.submit.setEnabled(not busy)
        self.submit.setText(
            "Please wait…" if busy else ("Create account" if self.signing_up else "Sign in")
        )
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)

    def _done(self, profile: Profile) -> None:
        self._set_busy(False)
        self.signedIn.emit(profile)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        if isinstance(error, ServerUnreachable):
            self.banner.show_error(error, self.attempt)
            return
        if not isinstance(error, ApiError):
            self.banner.show_error(error)
            return
        leftovers = self.errors.show_all(error.field_messages())
        if error.status == 409:
            self.errors.set("email", str(error))
        elif error.status == 429 and error.retry_after:
            minutes = max(1, round(error.retry_after / 60))
            self.banner.show_message(f"{error} (about {minutes} min)", error=True)
        elif leftovers or not error.errors:
            self.banner.show_message(str(error), error=True)
        self.password.setFocus()
