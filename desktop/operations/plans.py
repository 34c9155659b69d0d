"""The undo of budget and recurring calls, shared by ``budgets.py`` and ``recurring.py``.

Their answers are budgets and plans, not expenses, so each call carries in ``undo``
the body that takes it back, decided when the user acted:

* create — undone by deleting what the server created (its id is in the answer);
  the create's body rides along, so redo creates it again;
* edit — undone by sending the fields' earlier values back (and redone by the edit);
* delete — undone by creating it again from what the user saw (a new id: a plan's
  past payments keep pointing at the old one, which is gone);
* recording an occurrence — undone by moving the expense it created to the trash
  and the plan's next due day back to that occurrence (posting moved it on, and a
  trashed payment does not move it back), so the occurrence is open again. That
  undo has no redo: the day posting moved it to is the server's to compute.

These routes take no Idempotency-Key: a create replayed after a crash between the
server's answer and the queue's record is refused for a budget (409, dropped and
said) and made twice for a recurring plan (the user deletes one; rare, and visible).
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from desktop.operations.ops import Call

PLAN = re.compile(r"^(/api/v1/(?:budgets|recurring))(/\d+)?(/post)?$")
EXPENSES = "/api/v1/expenses"


def is_plan_call(call: Call) -> bool:
    return PLAN.match(call.path) is not None


def undo_calls(call: Call, result: Any) -> list[Call] | None:
    """The calls that take ``call`` back, in order; ``None``: it cannot be undone."""
    match = PLAN.match(call.path)
    if match is None or (result is None and call.method == "POST"):
        return None
    base, one, post = match.groups()
    if post:  # the answer is the expense that was recorded
        due = {"next_due": call.body["due"]} if call.body else None
        return [Call("DELETE", f"{EXPENSES}/{result.id}"), Call("PATCH", f"{base}{one}", due)]
    back = undo_call(call, result)
    return [back] if back is not None else None


def undo_call(call: Call, result: Any) -> Call | None:
    match = PLAN.match(call.path)
    if match is None:
        return None
    base, one, post = match.groups()
    if post:
        return None
    if call.method == "POST" and one is None:
        return Call("DELETE", f"{base}/{result.id}", undo=call.body) if result else None
    if call.undo is None:
        return None
    if call.method == "DELETE":
        return Call("POST", base, call.undo)
    if call.method == "PATCH":
        return Call("PATCH", call.path, call.undo, undo=call.body)
    return None


def earlier(before: msgspec.Struct, body: dict[str, Any]) -> dict[str, Any]:
    """The values ``before`` had for the fields ``body`` changes, as the wire spells them."""
    previous = msgspec.to_builtins(before)
    return {field: previous[field] for field in body}


def recreate(before: msgspec.Struct, fields: tuple[str, ...]) -> dict[str, Any]:
    """The create body that brings ``before`` back."""
    previous = msgspec.to_builtins(before)
    return {field: previous[field] for field in fields}
