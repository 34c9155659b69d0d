"""After the second time a payee is moved to the same category, offer a rule for it.

"Always categorise 'NETFLIX.COM' as Subscriptions?" — yes creates a rule
(``POST /api/v1/rules``, an op) that every later import applies. The expense dialog
calls ``offer_rule`` when the server confirmed a save; the counting lives here, in
memory per ``OperationRunner`` (one per signed-in window): a habit within a session
is what the offer answers, and nothing about payees is written to disk.
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.operations.imports import create_rule
from desktop.operations.runner import OperationRunner
from wire.expenses import Expense
from wire.rules import RuleCreate, RuleThen, RuleWhen

TIMES = 2  # the second change of a payee to the same category makes the offer


@dataclass
class PayeeChanges:
    """Category changes per (payee, category); payees already offered are not asked again."""

    counts: Counter[tuple[str, int]] = field(default_factory=Counter)
    offered: set[str] = field(default_factory=set)

    def note(self, payee: str, category_id: int) -> bool:
        """Count one change; true when it is time to offer the rule."""
        key = payee.casefold()
        if key in self.offered:
            return False
        self.counts[(key, category_id)] += 1
        if self.counts[(key, category_id)] >= TIMES:
            self.offered.add(key)
            return True
        return False


_changes: weakref.WeakKeyDictionary[OperationRunner, PayeeChanges] = weakref.WeakKeyDictionary()


def changes_of(operations: OperationRunner) -> PayeeChanges:
    return _changes.setdefault(operations, PayeeChanges())


def ask_always(parent: QWidget | None, payee: str, category: str) -> bool:
    """Tests replace this prompt."""
    answer = QMessageBox.question(
        parent,
        "Create a rule?",
        f"Always categorise '{payee}' as {category}?\n\n"
        "Imported statements will put this payee there from now on.",
    )
    return answer == QMessageBox.StandardButton.Yes


def offer_rule(dialog: Any, before: Expense | None, results: list[Expense | None] | None) -> None:
    """The expense dialog's hook: ``before`` as opened, ``results`` as the server answered."""
    after = results[0] if results else None
    if before is None or after is None or after.category_id == before.category_id:
        return
    payee = after.description.strip()
    operations: OperationRunner = dialog.operations
    if not payee or not changes_of(operations).note(payee, after.category_id):
        return
    category = dialog.category.currentText().strip()
    parent = dialog.parentWidget()
    # After the dialog has closed: the question belongs to the window, not the dialog.
    QTimer.singleShot(0, lambda: _ask(parent, operations, payee, after.category_id, category))


def _ask(
    parent: QWidget | None, operations: OperationRunner, payee: str, category_id: int, name: str
) -> None:
    if not ask_always(parent, payee, name):
        return
    rule = RuleCreate(
        name=f"{payee[:60]} → {name[:30]}",
        when=RuleWhen(description_equals=payee),
        then=RuleThen(category_id=category_id),
    )
    operations.run(create_rule(rule), parent)
