"""The expense dialog's currency: the picker, the live converted amount, the charged one.

The picker lists the user's recent currencies first (from the expenses they
recorded, which the dialog loads anyway), then every ISO 4217 code. The hint under
the amount shows what the server will convert it to, with the rate of the day,
fetched off the GUI thread once typing pauses and remembered per (currency, day).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QLineEdit, QSizePolicy, QWidget

from desktop.amount_expression import ExpressionError, read_amount
from desktop.client import ApiClient
from desktop.money import convert, format_money, format_rate
from desktop.views.theme import rgba, tones
from desktop.workers import Runner
from wire.currencies import Rate
from wire.currencies_iso import ISO_4217, KNOWN
from wire.validation import FieldError, check_base_amount, parse_expense_amount

RATE_DEBOUNCE_MS = 250  # a date spun with the arrow keys asks once, at the end
RECENT_LIMIT = 6


class CurrencyPicker(QComboBox):
    """ISO codes, the recent ones first; typing "gbp" picks GBP."""

    def __init__(self, base: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.base = base
        self.recent: list[str] = []
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(16)
        self.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setAccessibleName("Currency")
        self.setToolTip("The currency you paid in; totals are in your base currency")
        self.set_recent([])
        self.set_code(base)

    def set_recent(self, codes: Iterable[str]) -> None:
        """``codes``: most recent first. The base currency always leads."""
        current = self.currentText().strip() if self.count() else self.base  # kept as typed
        recent = list(dict.fromkeys(c for c in [self.base, *codes] if c in KNOWN))
        self.recent = recent[:RECENT_LIMIT]
        self.blockSignals(True)
        self.clear()
        self.addItems(self.recent)
        self.insertSeparator(self.count())
        self.addItems([code for code in ISO_4217 if code not in self.recent])
        self.blockSignals(False)
        self.set_code(current or self.base)

    def code(self) -> str | None:
        """The typed or chosen code (upper case), or None when it is not an ISO code."""
        text = self.currentText().strip().upper()
        return text if text in KNOWN else None

    def set_code(self, code: str) -> None:
        row = self.findText(code, Qt.MatchFlag.MatchFixedString)
        if row >= 0:
            self.setCurrentIndex(row)
        else:
            self.setEditText(code)


def charged_amount(field: QLineEdit, amount: Decimal) -> Decimal | None:
    """What the bank charged, typed in ``field``: None when blank, else the wire's rules."""
    text = field.text().strip()
    if not text:
        return None
    try:
        value = read_amount(text, field.locale())
    except ExpressionError:
        value = None
    if value is None:
        raise FieldError("base_amount", "Enter the amount the bank charged, like 13.37")
    return check_base_amount(parse_expense_amount(value, "base_amount"), amount)


class ConversionHint(QLabel):
    """ "≈ $12.34 at 1.0321 (rate of 2025-01-03)" under an amount in another currency."""

    def __init__(self, client: ApiClient, runner: Runner, base: str) -> None:
        super().__init__(wordWrap=True, objectName="conversion")
        self.client, self.runner, self.base = client, runner, base
        self.rates: dict[tuple[str, date], Rate | None] = {}
        self._wanted: tuple[Decimal | None, str | None, date] | None = None
        self._timer = QTimer(self, singleShot=True, interval=RATE_DEBOUNCE_MS)
        self._timer.timeout.connect(self._fetch)
        self._channel = f"rate-{id(self)}"
        self.setStyleSheet(f"color: {rgba(tones().muted)}; font-size: 11px;")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(320)  # one line in the dialog, not a narrow column
        self.hide()

    def show_for(self, amount: Decimal | None, currency: str | None, day: date) -> None:
        """What the user typed now; the text follows at once when the rate is known."""
        self._wanted = (amount, currency, day)
        if currency is None or currency == self.base:
            self._timer.stop()
            self.hide()
            return
        self.show()
        key = (currency, day)
        if key in self.rates:
            self._timer.stop()
            self._render()
        else:
            self.setText("Looking up the rate…")
            self._timer.start()  # restarted by every change: one request when typing pauses

    def _fetch(self) -> None:
        if self._wanted is None or self._wanted[1] is None:
            return
        _, currency, day = self._wanted
        client = self.client
        self.runner.submit(
            lambda: client.rate(currency, day),
            lambda rate: self._arrived(currency, day, rate),
            self._failed,
            channel=self._channel,  # a later currency or day makes this answer stale
            owner=self,
        )

    def _arrived(self, currency: str, day: date, rate: Rate | None) -> None:
        self.rates[(currency, day)] = rate
        self._render()

    def _failed(self, _error: Exception) -> None:
        self.setText("Cannot look the rate up now — the server converts it when you save.")

    def _render(self) -> None:
        if self._wanted is None:
            return
        amount, currency, day = self._wanted
        if currency is None or (currency, day) not in self.rates:
            return
        rate = self.rates[(currency, day)]
        if rate is None:
            self.setText("No rate yet — it will be converted when rates arrive.")
            return
        shown = format_rate(Decimal(rate.rate), self.locale())
        if amount is None:
            self.setText(f"1 {currency} = {shown} {self.base} (rate of {rate.date})")
            return
        converted = format_money(convert(amount, Decimal(rate.rate)), self.base, self.locale())
        self.setText(f"≈ {converted} at {shown} (rate of {rate.date})")
