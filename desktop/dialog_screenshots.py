"""Screenshots of the expense dialog for docs/screenshots (``demo --screenshot``).

A purchase abroad (another currency, converted live, with tags) and a receipt
split between two categories. The dialogs are filled and shot, never saved: the
demo data stays as it was.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate

from desktop.demo_window import settle, wait_until
from desktop.filters import today
from desktop.shell_screenshots import _over, _save
from desktop.views.expense_dialog import ExpenseDialog
from desktop.views.main_actions import EXPENSES
from desktop.views.main_window import MainWindow


def render(window: MainWindow, directory: Path) -> list[Path]:
    window.show_view(EXPENSES)
    wait_until(lambda: window.runner.pending == 0)
    return [_abroad(window, directory), _split(window, directory)]


def _open(window: MainWindow) -> ExpenseDialog:
    dialog = window.expenses.new_expense()
    wait_until(lambda: window.runner.pending == 0)
    return dialog


def _converted_day(window: MainWindow) -> tuple[date, str]:
    """A day and currency the demo has a rate for (its trip abroad), else 3 days ago."""
    model = window.expenses.model
    for row in range(model.rowCount()):
        seen = model.expense(row)
        if seen.currency not in ("", window.expenses.currency) and seen.rate is not None:
            return seen.spent_on, seen.currency
    return today() - timedelta(days=3), "EUR"


def _abroad(window: MainWindow, directory: Path) -> Path:
    day, currency = _converted_day(window)
    dialog = _open(window)
    dialog.spent_on.setDate(QDate(day.year, day.month, day.day))
    dialog.amount.setText("48.60")
    dialog.currency.set_code(currency)
    dialog.category.setCurrentIndex(max(0, dialog.category.findText("Food")))
    dialog.description.setText("Dinner in Lisbon")
    dialog.tags.setText("trip, Portugal")
    wait_until(lambda: "Looking up" not in dialog.conversion.text())
    wait_until(lambda: window.runner.pending == 0)
    path = _save(_over(window, dialog), directory / "expense-dialog-currency.png")
    dialog.reject()
    settle(window)
    return path


def _split(window: MainWindow, directory: Path) -> Path:
    dialog = _open(window)
    dialog.amount.setText("86.40")
    dialog.description.setText("Supermarket")
    dialog.tags.setText("household")
    dialog.category.setCurrentIndex(max(0, dialog.category.findText("Food")))
    dialog.split_button.setChecked(True)
    second = dialog.splits.rows[1]
    second.category.setCurrentIndex(max(0, second.category.findText("Shopping")))
    dialog.splits.rows[0].amount.setText("61.90")
    second.amount.setText("20.00")
    path = _save(_over(window, dialog), directory / "expense-dialog-split.png")
    dialog.reject()
    settle(window)
    return path
