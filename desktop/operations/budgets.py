"""The budget ops of the Budgets view: create, edit (limit, rollover, start), delete."""

from __future__ import annotations

import msgspec

from desktop.operations.ops import Call, Changes, Op
from desktop.operations.plans import earlier, recreate
from wire.budgets import Budget, BudgetCreate, BudgetUpdate

API = "/api/v1/budgets"
CHANGES = int(Changes.BUDGETS)
FIELDS = ("category_id", "amount", "rollover", "starts")


def _name(category: str | None) -> str:
    return f"budget for {category}" if category else "budget for all spending"


def create_budget(data: BudgetCreate, category: str | None = None) -> Op:
    """Raises ``wire.validation.FieldError`` for a value the API would refuse."""
    body = msgspec.to_builtins(data)
    return Op(f"New {_name(category)}", CHANGES, [Call("POST", API, body)])


def edit_budget(before: Budget, data: BudgetUpdate, category: str | None = None) -> Op:
    body = msgspec.to_builtins(data)
    call = Call(
        "PATCH", f"{API}/{before.id}", body, if_match=before.version, undo=earlier(before, body)
    )
    return Op(f"Edit {_name(category)}", CHANGES, [call])


def delete_budget(budget: Budget, category: str | None = None) -> Op:
    call = Call("DELETE", f"{API}/{budget.id}", undo=recreate(budget, FIELDS))
    return Op(f"Delete {_name(category)}", CHANGES, [call])
