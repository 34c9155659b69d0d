"""Account ▸ Profile: name and base currency; changing the currency asks first.

A base-currency change makes the server convert every expense again, at its own
day's rate, into the new currency (in one transaction). The confirmation says how
many expenses that is — the summary's count over all time, read before asking —
and what stays as it was: each expense's own currency and amount.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from desktop.filters import ExpenseQuery
from desktop.session import Session
from desktop.workers import Runner
from wire.auth import Profile
from wire.currencies_iso import ISO_4217


def button(text: str, name: str, slot: object) -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(name)
    widget.clicked.connect(slot)
    return widget


def named(field: QWidget, name: str) -> QWidget:
    field.setAccessibleName(name)
    return field


def currency_question(old: str, new: str, count: int) -> str:
    if count == 0:
        return f"Change the base currency from {old} to {new}? You have no expenses to convert."
    noun = "your 1 expense" if count == 1 else f"all {count:,} of your expenses"
    return (
        f"Change the base currency from {old} to {new}?\n\n"
        f"The server will convert {noun} again, into {new}, at the rate of each "
        f"expense's own day; every total, chart and budget will then be in {new}. "
        f"Each expense keeps its own currency and amount; amounts the bank charged "
        f"in {old} are converted from {old} at the same day's rate. Expenses of days "
        "without a rate stay unconverted until one arrives."
    )


def confirm_currency_change(parent: QWidget, old: str, new: str, count: int) -> bool:
    """Ask before re-converting everything (tests replace this function)."""
    answer = QMessageBox.question(
        parent,
        "Change base currency",
        currency_question(old, new, count),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class ProfileTab(QWidget):
    saved = Signal(object)  # Profile
    failed = Signal(object)  # the error: the dialog's banner says it

    def __init__(self, session: Session, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.runner = session, runner
        profile = session.profile
        form = QFormLayout(self)
        self.email = QLabel(profile.email if profile else "")
        self.display_name = named(QLineEdit(profile.display_name if profile else ""), "Name")
        self.display_name.setMaxLength(100)
        self.currency = named(QComboBox(), "Base currency")
        self.currency.addItems(ISO_4217)
        self.currency.setCurrentText(profile.currency if profile else "USD")
        self.save_profile = button("Save profile", "Save profile", self.save)
        self.profile_status = QLabel(wordWrap=True)
        form.addRow("Email", self.email)
        form.addRow("Name", self.display_name)
        form.addRow("Base currency", self.currency)
        hint = (
            "Totals, charts and budgets are in this currency. Changing it converts "
            "every expense again at its own day's rate."
        )
        form.addRow(QLabel(hint, wordWrap=True))
        form.addRow(self.save_profile, self.profile_status)

    def save(self) -> None:
        name, currency = self.display_name.text().strip(), self.currency.currentText()
        before = self.session.profile
        client = self.session.client
        self.profile_status.clear()
        self._busy("Saving…")
        if before is None or currency == before.currency:
            self._send(lambda: client.update_profile(name, currency))
            return

        # First how many expenses the change converts (a read), then ask, then write.
        def counted(count: int) -> None:
            if confirm_currency_change(self, before.currency, currency, count):
                self._send(lambda: client.update_profile(name, currency))
            else:
                self._idle()
                self.currency.setCurrentText(before.currency)

        self.runner.submit(
            lambda: client.summary(ExpenseQuery()).count, counted, self._failed, owner=self
        )

    def _send(self, call: Callable[[], Profile]) -> None:
        self.runner.submit(call, self._saved, self._failed, owner=self)

    def _saved(self, profile: Profile) -> None:
        self._idle()
        self.session.profile = profile
        self.profile_status.setText("Saved.")
        self.saved.emit(profile)

    def _failed(self, error: Exception) -> None:
        self._idle()
        self.failed.emit(error)

    def _busy(self, text: str) -> None:
        self.save_profile.setEnabled(False)
        self.save_profile.setText(text)

    def _idle(self) -> None:
        self.save_profile.setEnabled(True)
        self.save_profile.setText("Save profile")
