"""The expense ops: what each user action sends, decided when the user acts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from desktop.operations.ops import API, Call, Changes, Op, new_key
from wire.expenses import Expense, ExpenseCreate, ExpenseUpdate


def _noun(count: int) -> str:
    return "expense" if count == 1 else f"{count} expenses"


def create_expense(data: ExpenseCreate, idempotency_key: str | None = None) -> Op:
    body = msgspec.to_builtins(data)
    call = Call("POST", API, body, idempotency_key=idempotency_key or new_key())
    return Op("New expense", Changes.EXPENSES, [call])


def edit_expense(before: Expense, data: ExpenseUpdate, *, overwrite: bool = False) -> Op:
    """``overwrite``: no If-Match — the user chose to replace a newer version."""
    body = msgspec.to_builtins(data)
    version = None if overwrite else before.version
    call = Call("PATCH", f"{API}/{before.id}", body, if_match=version, before=before)
    return Op("Edit expense", Changes.EXPENSES, [call])


def delete_expenses(expenses: Sequence[Expense]) -> Op:
    """Into the trash: undo restores them."""
    calls = [Call("DELETE", f"{API}/{expense.id}") for expense in expenses]
    return Op(f"Delete {_noun(len(calls))}", Changes.EXPENSES | Changes.TRASH, calls)


def recategorise(expenses: Sequence[Expense], category_id: int, category_name: str) -> Op:
    calls = [
        Call(
            "PATCH",
            f"{API}/{expense.id}",
            {"category_id": category_id},
            if_match=expense.version,
            before=expense,
        )
        for expense in expenses
    ]
    return Op(f"Move {_noun(len(calls))} to {category_name}", Changes.EXPENSES, calls)


def restore_expenses(expenses: Sequence[Expense]) -> Op:
    calls = [Call("POST", f"{API}/{expense.id}/restore") for expense in expenses]
    return Op(f"Restore {_noun(len(calls))}", Changes.EXPENSES | Changes.TRASH, calls)


def purge_expenses(expenses: Sequence[Expense]) -> Op:
    """Delete for good: there is nothing to restore, so it cannot be undone."""
    calls = [
        Call("DELETE", f"{API}/{expense.id}", params={"purge": "true"}) for expense in expenses
    ]
    return Op(f"Delete {_noun(len(calls))} forever", Changes.TRASH, calls, undoable=False)


def save_expense(
    before: Expense | None, fields: dict[str, Any], key: str, *, overwrite: bool = False
) -> Op:
    """The expense dialog's save: a create, or an edit of ``before``.

    Raises ``wire.validation.FieldError`` for a value the API would refuse (the wire
    structs check it), so the dialog can say so next to the field without a request.
    """
    if before is None:
        return create_expense(ExpenseCreate(**fields), key)
    return edit_expense(before, ExpenseUpdate(**_edited(before, fields)), overwrite=overwrite)


def _edited(before: Expense, fields: dict[str, Any]) -> dict[str, Any]:
    """The dialog's fields as an edit of ``before``: the money fields only when they change.

    A ``base_amount`` sent is kept as what the bank charged (settled), so the amount
    the server converted is never sent back; ``null`` returns a settled expense to
    conversion. ``splits: null`` is sent only to undo a split.
    """
    out = dict(fields)
    charged = out.pop("base_amount", None)
    if charged is not None and not (before.settled and before.base_amount == charged):
        out["base_amount"] = charged
    elif charged is None and before.settled:
        out["base_amount"] = None
    splits = out.pop("splits", None)
    if splits is not None or before.splits:
        out["splits"] = splits
    return out
