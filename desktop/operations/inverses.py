"""The inverse of an op: what undo runs, built from what the server answered.

Its own module because it knows every kind of op (expenses here, tags in
``desktop.operations.tags``, budgets and recurring plans in
``desktop.operations.plans``), while ``ops`` stays the data the others build on.
"""

from __future__ import annotations

from typing import Any

import msgspec

from desktop.operations.ops import API, Call, Changes, Op
from desktop.operations.plans import is_plan_call, undo_calls
from desktop.operations.tags import is_tag_call, undo_rename


def inverse(op: Op, results: list[Any]) -> Op | None:
    """The op that takes ``op`` back, given what the server answered to each call."""
    if not op.undoable:
        return None
    calls: list[Call] = []
    for call, result in zip(reversed(op.calls), reversed(results), strict=True):
        kind, expense_id = call.kind, call.expense_id
        if is_plan_call(call):  # their answers are budgets, plans, or a recorded expense
            backs = undo_calls(call, result)
            if backs is None:
                return None
            calls.extend(backs)
        elif is_tag_call(call):
            back = undo_rename(call)
            if back is None:
                return None
            calls.append(back)
        elif kind == "create" and result is not None:
            calls.append(Call("DELETE", f"{API}/{result.id}"))
        elif kind == "trash":
            calls.append(Call("POST", f"{API}/{expense_id}/restore"))
        elif kind == "restore":
            calls.append(Call("DELETE", f"{API}/{expense_id}"))
        elif kind == "edit" and call.before is not None and result is not None and call.body:
            previous = msgspec.to_builtins(call.before)
            body = {field: previous[field] for field in call.body}
            if "base_amount" in body and not call.before.settled:
                body["base_amount"] = None  # it was converted, not charged: convert again
            calls.append(Call("PATCH", call.path, body, if_match=result.version, before=result))
        else:
            return None  # a purge, or an answer we cannot take back
    changes = Changes(op.changes) | Changes.TRASH
    return Op(op.label, int(changes), calls)
