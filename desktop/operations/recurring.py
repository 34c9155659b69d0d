"""The recurring ops: create (also "Make recurring" from a suggestion), edit, delete,
and "Record now", which posts one occurrence as an expense."""

from __future__ import annotations

from datetime import date

import msgspec

from desktop.operations.ops import Call, Changes, Op
from desktop.operations.plans import earlier, recreate
from wire.recurring import PostOccurrence, Recurring, RecurringCreate, RecurringUpdate, Suggestion

API = "/api/v1/recurring"
CHANGES = int(Changes.RECURRING)
# Recording an occurrence adds an expense: the table, the totals and budgets change too.
RECORDED = int(Changes.RECURRING | Changes.EXPENSES | Changes.BUDGETS)
FIELDS = (
    "description", "amount", "currency", "category_id", "tags", "every", "interval",
    "next_due", "ends", "amount_tolerance", "day_tolerance",
)  # fmt: skip


def create_recurring(data: RecurringCreate) -> Op:
    body = msgspec.to_builtins(data)
    return Op(f"New recurring {data.description}", CHANGES, [Call("POST", API, body)])


def from_suggestion(suggestion: Suggestion) -> Op:
    """ "Make recurring": the plan the history suggests, as found."""
    data = RecurringCreate(
        description=suggestion.description,
        amount=str(suggestion.amount),
        category_id=suggestion.category_id,
        next_due=suggestion.next_due,
        currency=suggestion.currency,
        every=suggestion.every,
        interval=suggestion.interval,
    )
    return create_recurring(data)


def edit_recurring(before: Recurring, data: RecurringUpdate) -> Op:
    body = msgspec.to_builtins(data)
    path = f"{API}/{before.id}"
    call = Call("PATCH", path, body, if_match=before.version, undo=earlier(before, body))
    return Op(f"Edit recurring {before.description}", CHANGES, [call])


def delete_recurring(plan: Recurring) -> Op:
    call = Call("DELETE", f"{API}/{plan.id}", undo=recreate(plan, FIELDS))
    return Op(f"Delete recurring {plan.description}", CHANGES, [call])


def record_occurrence(recurring_id: int, description: str, due: date) -> Op:
    """Post the occurrence due on ``due`` as an expense (undo: it goes to the trash)."""
    body = msgspec.to_builtins(PostOccurrence(due))
    call = Call("POST", f"{API}/{recurring_id}/post", body)
    return Op(f"Record {description}", RECORDED, [call])
