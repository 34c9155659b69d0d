"""Edit one recurring expense: what, how much, how often, when next, until when.

Opened with ``open()``; ``saved`` carries only the fields that changed, already
checked by ``RecurringUpdate`` (the API's own rules), so a refusal shows here
without a request.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wire.categories import Category
from wire.recurring import Recurring, RecurringUpdate
from wire.validation import MAX_INTERVAL, FieldError


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(qdate: QDate) -> date:
    return date(qdate.year(), qdate.month(), qdate.day())


class RecurringForm(QDialog):
    saved = Signal(object, object)  # the plan as it was, RecurringUpdate

    def __init__(
        self, plan: Recurring, categories: list[Category], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Edit {plan.description}")
        self.description = QLineEdit(plan.description)
        self.amount = QLineEdit(f"{plan.amount:.2f}")
        self.category = QComboBox()
        for category in categories:
            self.category.addItem(category.name, category.id)
        self.category.setCurrentIndex(max(self.category.findData(plan.category_id), 0))
        self.every = QComboBox()
        self.every.addItems(["week", "month", "year"])
        self.every.setCurrentText(plan.every)
        self.interval = QSpinBox(minimum=1, maximum=MAX_INTERVAL, value=plan.interval)
        self.next_due = QDateEdit(_qdate(plan.next_due), calendarPopup=True)
        self.next_due.setDisplayFormat("yyyy-MM-dd")
        self.has_end = QCheckBox("Ends on")
        self.ends = QDateEdit(_qdate(plan.ends or plan.next_due), calendarPopup=True)
        self.ends.setDisplayFormat("yyyy-MM-dd")
        self.has_end.setChecked(plan.ends is not None)
        self.ends.setEnabled(plan.ends is not None)
        self.has_end.toggled.connect(self.ends.setEnabled)
        self.error = QLabel(" ", wordWrap=True)
        self.error.setStyleSheet("color: #C92A2A;")
        form = QFormLayout()
        form.addRow("Description", self.description)
        form.addRow(f"Amount ({plan.currency})", self.amount)
        form.addRow("Category", self.category)
        form.addRow("Every", self.every)
        form.addRow("Interval", self.interval)
        form.addRow("Next due", self.next_due)
        form.addRow(self.has_end, self.ends)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def changes(self) -> dict[str, Any]:
        plan = self.plan
        now = {
            "description": self.description.text().strip(),
            "amount": self.amount.text().strip().replace(",", ""),
            "category_id": self.category.currentData(),
            "every": self.every.currentText(),
            "interval": self.interval.value(),
            "next_due": _day(self.next_due.date()),
            "ends": _day(self.ends.date()) if self.has_end.isChecked() else None,
        }
        out = {k: v for k, v in now.items() if k != "amount" and getattr(plan, k) != v}
        if now["amount"] != f"{plan.amount:.2f}":
            out["amount"] = now["amount"]
        return out

    def save(self) -> None:
        changes = self.changes()
        if not changes:
            self.reject()
            return
        try:
            data = RecurringUpdate(**changes)
        except FieldError as error:
            self.error.setText(f"{error.field.replace('_', ' ').capitalize()}: {error.reason}")
            return
        except ValueError as error:
            self.error.setText(str(error))
            return
        self.saved.emit(self.plan, data)
        self.accept()
