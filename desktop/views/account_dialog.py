"""File → Account…: profile, password, where you are signed in, appearance, deletion.

The profile tab (name, base currency) is ``account_profile.py``.

Every server call goes through the runner; the dialog is opened with ``open()`` and
stays usable while a call is in flight. What happens to the rest of the app (sign
in again, refresh in a new currency) is the window's business: the dialog says what
happened by signal.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ApiError
from desktop.session import Session
from desktop.settings import THEMES, AppSettings
from desktop.views.account_profile import ProfileTab, button, named
from desktop.views.banner import Banner
from desktop.views.forms import FieldErrors
from desktop.views.theme import THEME_LABELS, apply_theme
from desktop.workers import Runner
from wire.auth import Profile

MIN_PASSWORD = 8


def ask_sign_out_everywhere(parent: QWidget) -> bool:
    """Confirm before ending every session (tests replace this function)."""
    answer = QMessageBox.question(
        parent,
        "Sign out everywhere",
        "Sign out on every computer and phone, this one included?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def retry_message(error: ApiError) -> str:
    """A 429 in words: when the user may try again."""
    if not error.retry_after:
        return f"{error} Try again later."
    minutes = max(1, -(-error.retry_after // 60))  # rounded up: never too early
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many wrong passwords. Try again in {minutes} {unit}."


class AccountDialog(QDialog):
    profileChanged = Signal(object)  # Profile
    signedOutEverywhere = Signal()
    accountDeleted = Signal()
    serverChosen = Signal(str)

    def __init__(
        self, session: Session, runner: Runner, settings: AppSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.settings = session, runner, settings
        profile = session.profile
        self.setWindowTitle("Account — Expense Tracker")
        self.setMinimumWidth(500)
        self.banner = Banner()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Account sections")
        self.profile_tab = ProfileTab(session, runner)
        self.profile_tab.saved.connect(self.profileChanged)
        self.profile_tab.failed.connect(self.banner.show_error)
        tab = self.profile_tab  # its fields, by the names the dialog always had
        self.email, self.display_name, self.currency = tab.email, tab.display_name, tab.currency
        self.save_profile, self.profile_status = tab.save_profile, tab.profile_status
        self.tabs.addTab(tab, "Profile")
        self.tabs.addTab(self._password_tab(), "Password")
        self.tabs.addTab(self._sessions_tab(), "Sign-in")
        self.tabs.addTab(self._appearance_tab(), "Appearance")
        self.tabs.addTab(self._delete_tab(profile), "Delete account")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    # --- tabs -------------------------------------------------------------------------
    def _password_tab(self) -> QWidget:
        page, form = QWidget(), QFormLayout()
        password = QLineEdit.EchoMode.Password
        self.current_password = QLineEdit(echoMode=password)
        self.new_password = QLineEdit(echoMode=password)
        self.confirm_password = QLineEdit(echoMode=password)
        self.password_errors = FieldErrors()
        self.password_errors.add_row(form, "Current password", "current", self.current_password)
        self.password_errors.add_row(form, "New password", "new", self.new_password)
        self.password_errors.add_row(form, "Confirm new password", "confirm", self.confirm_password)
        self.change_password = button("Change password", "Change password", self._change_pw)
        self.password_status = QLabel(wordWrap=True)
        form.addRow(self.change_password, self.password_status)
        page.setLayout(form)
        return page

    def _sessions_tab(self) -> QWidget:
        page, form = QWidget(), QFormLayout()
        self.server = named(QLineEdit(self.session.server), "Server address")
        self.use_server = button("Use this server…", "Use this server", self._use_server)
        form.addRow("Server", self.server)
        form.addRow(QLabel("Switching server signs you out here first.", wordWrap=True))
        form.addRow(self.use_server)
        self.sign_out_all = button(
            "Sign out everywhere", "Sign out everywhere", self._sign_out_everywhere
        )
        text = "Ends every session of this account, on every device, this one included."
        form.addRow(QLabel(text, wordWrap=True))
        form.addRow(self.sign_out_all)
        page.setLayout(form)
        return page

    def _appearance_tab(self) -> QWidget:
        page, form = QWidget(), QFormLayout()
        self.theme = named(QComboBox(), "Theme")
        for name in THEMES:
            self.theme.addItem(THEME_LABELS[name], name)
        self.theme.setCurrentIndex(THEMES.index(self.settings.theme))
        self.theme.currentIndexChanged.connect(self._theme_changed)
        form.addRow("Theme", self.theme)
        page.setLayout(form)
        return page

    def _delete_tab(self, profile: Profile | None) -> QWidget:
        page, form = QWidget(), QFormLayout()
        self._email = profile.email if profile else ""
        warning = QLabel(
            "<b>Deleting the account removes every expense and category for good.</b> "
            f"Type your email address (<i>{self._email}</i>) to confirm.",
            wordWrap=True,
        )
        self.confirm_email = named(QLineEdit(placeholderText=self._email), "Type your email")
        self.confirm_email.textChanged.connect(self._delete_armed)
        self.delete = button("Delete account", "Delete account", self._delete_account)
        self.delete.setEnabled(False)
        form.addRow(warning)
        form.addRow("Your email", self.confirm_email)
        form.addRow(self.delete)
        page.setLayout(form)
        return page

    # --- password -----------------------------------------------------------------------
    def password_problems(self) -> dict[str, str]:
        found = {}
        if not self.current_password.text():
            found["current"] = "Enter your current password"
        if len(self.new_password.text()) < MIN_PASSWORD:
            found["new"] = f"Use at least {MIN_PASSWORD} characters"
        elif self.confirm_password.text() != self.new_password.text():
            found["confirm"] = "The passwords do not match"
        return found

    def _change_pw(self) -> None:
        self.password_errors.clear()
        self.banner.hide()
        self.password_status.clear()
        if problems := self.password_problems():
            self.password_errors.show_all(problems)
            return
        current, new = self.current_password.text(), self.new_password.text()
        session, email = self.session, self.session.email

        def change_and_sign_in_again() -> Profile:
            # The server ends every login on a password change, this one included.
            session.client.change_password(current, new)
            return session.sign_in(email, new)

        self._busy(self.change_password, "Changing…")
        self.runner.submit(
            change_and_sign_in_again, self._password_changed, self._password_failed, owner=self
        )

    def _password_changed(self, profile: Profile) -> None:
        self._idle(self.change_password, "Change password")
        for field in (self.current_password, self.new_password, self.confirm_password):
            field.clear()
        self.password_status.setText("Password changed. Other devices must sign in again.")
        self.profileChanged.emit(profile)

    def _password_failed(self, error: Exception) -> None:
        self._idle(self.change_password, "Change password")
        if isinstance(error, ApiError) and error.status == 403:
            self.password_errors.set("current", "That is not your current password.")
            self.current_password.selectAll()
            self.current_password.setFocus()
        elif isinstance(error, ApiError) and error.status == 429:
            self.banner.show_message(retry_message(error), error=True)
        elif isinstance(error, ApiError) and error.errors:
            aliases = {"current_password": "current", "new_password": "new"}
            messages = {aliases.get(k, k): v for k, v in error.field_messages().items()}
            for leftover in self.password_errors.show_all(messages):
                self.banner.show_message(leftover, error=True)
        else:
            self.banner.show_error(error)

    # --- sessions and server ------------------------------------------------------------
    def _sign_out_everywhere(self) -> None:
        if not ask_sign_out_everywhere(self):
            return
        client = self.session.client
        self._busy(self.sign_out_all, "Signing out…")
        self.runner.submit(
            client.logout_all,
            lambda _none: self._ended(self.signedOutEverywhere),
            lambda error: self._failed(error, self.sign_out_all, "Sign out everywhere"),
            owner=self,
        )

    def _use_server(self) -> None:
        url = self.server.text().strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            self.banner.show_message("Enter the server address, starting with https://", error=True)
            return
        self.accept()
        self.serverChosen.emit(url)

    # --- appearance ---------------------------------------------------------------------
    def _theme_changed(self, index: int) -> None:
        name = THEMES[index]
        self.settings.theme = name
        apply_theme(name)

    # --- deletion -------------------------------------------------------------------------
    def _delete_armed(self, text: str) -> None:
        self.delete.setEnabled(bool(self._email) and text.strip().lower() == self._email.lower())

    def _delete_account(self) -> None:
        if not self.delete.isEnabled():
            return
        client = self.session.client
        self._busy(self.delete, "Deleting…")
        self.runner.submit(
            client.delete_account,
            lambda _none: self._ended(self.accountDeleted),
            lambda error: self._failed(error, self.delete, "Delete account"),
            owner=self,
        )

    # --- shared -------------------------------------------------------------------------
    def _ended(self, signal: Signal) -> None:
        self.accept()
        signal.emit()  # the window forgets the session and returns to sign-in

    def _busy(self, button: QPushButton, text: str) -> None:
        self.banner.hide()
        button.setEnabled(False)
        button.setText(text)

    def _idle(self, button: QPushButton, text: str) -> None:
        button.setEnabled(True)
        button.setText(text)

    def _failed(self, error: Exception, button: QPushButton, text: str) -> None:
        self._idle(button, text)
        self.banner.show_error(error)
