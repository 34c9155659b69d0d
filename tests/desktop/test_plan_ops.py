"""Budget and recurring ops: each call carries its own undo, and the offline queue keeps
their answers as budgets, plans and expenses across a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from desktop.local.store import LocalStore
from desktop.operations import inverse
from desktop.operations.budgets import create_budget, delete_budget, edit_budget
from desktop.operations.recurring import record_occurrence
from wire.budgets import Budget, BudgetCreate, BudgetUpdate
from wire.expenses import Expense

BUDGET = Budget(id=7, category_id=3, amount=Decimal("100.00"), rollover=True, starts="2026-04",
                version=2)  # fmt: skip


def test_create_is_undone_by_a_delete_that_can_create_it_again():
    op = create_budget(BudgetCreate(amount="100", category_id=3, rollover=True, starts="2026-04"))
    back = inverse(op, [BUDGET])
    [call] = back.calls
    assert (call.method, call.path) == ("DELETE", "/api/v1/budgets/7")
    again = inverse(back, [None])
    assert again.calls[0].method == "POST"
    assert again.calls[0].body == op.calls[0].body


def test_an_edit_sends_the_earlier_values_back_and_a_delete_recreates():
    edit = edit_budget(BUDGET, BudgetUpdate(amount="150", rollover=False), "Food")
    assert edit.label == "Edit budget for Food"
    assert edit.calls[0].if_match == 2
    [undo] = inverse(edit, [BUDGET]).calls
    assert undo.body == {"amount": "100.00", "rollover": True}
    assert inverse(inverse(edit, [BUDGET]), [BUDGET]).calls[0].body == edit.calls[0].body
    [recreate] = inverse(delete_budget(BUDGET), [None]).calls
    assert (recreate.method, recreate.path) == ("POST", "/api/v1/budgets")
    assert recreate.body == {"category_id": 3, "amount": "100.00", "rollover": True,
                             "starts": "2026-04"}  # fmt: skip


def test_recording_an_occurrence_is_undone_by_trashing_it_and_reopening_it(tmp_path):
    op = record_occurrence(4, "Gym", date(2026, 5, 1))
    assert op.calls[0].path == "/api/v1/recurring/4/post"
    assert op.calls[0].body == {"due": "2026-05-01"}
    now = datetime(2026, 5, 1, tzinfo=UTC)
    expense = Expense(
        id=91, amount=Decimal("30.00"), category_id=3, category="Bills", description="Gym",
        notes="", spent_on=date(2026, 5, 1), created_at=now, updated_at=now, version=1,
    )  # fmt: skip
    trash, reopen = inverse(op, [expense]).calls
    assert (trash.method, trash.path) == ("DELETE", "/api/v1/expenses/91")
    assert (reopen.method, reopen.path, reopen.body) == (
        "PATCH", "/api/v1/recurring/4", {"next_due": "2026-05-01"},
    )  # fmt: skip
    assert inverse(inverse(op, [expense]), [None, None]) is None  # no redo (see plans.py)
    # The queue keeps each answer as its call's type, across a restart.
    store = LocalStore(tmp_path / "queue.sqlite3")
    two = create_budget(BudgetCreate(amount="5"))
    two.calls = [two.calls[0], op.calls[0]]
    seq = store.enqueue(two)
    store.advance(seq, 1, [BUDGET], finished=False)
    store.close()
    head = LocalStore(tmp_path / "queue.sqlite3").head()
    assert head.results == [BUDGET]
    assert isinstance(head.results[0], Budget)
