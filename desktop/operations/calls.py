"""Send one ``Call``; a call the server already applied counts as done.

This is what makes a replay after a crash harmless: the process may die after the
server applied a call and before the queue recorded it, so the call goes again.

* create — the same ``Idempotency-Key`` and body answer the first response;
* trash / purge — 404: it is already gone;
* restore — 409: it is already out of the trash;
* edit — 412 with the server already holding our values: our own earlier write.
* tag rename — 404: the old name is gone already (our own rename, replayed).
  Any other 412 is a real conflict, raised with the server's version ("theirs").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from desktop.client import ApiClient
from desktop.errors import ApiError
from desktop.operations.ops import Call
from desktop.operations.tags import is_tag_call
from wire.expenses import Expense


class Conflict(ApiError):
    """A 412 on an edit: someone changed the expense since the user saw it."""

    def __init__(self, error: ApiError, call: Call, theirs: Expense) -> None:
        super().__init__(status=412, detail=error.detail, title=error.title)
        self.call, self.theirs = call, theirs


def perform(client: ApiClient, call: Call) -> Expense | None:
    body = msgspec.json.encode(call.body) if call.body is not None else None
    try:
        return client.send_call(call.method, call.path, body, call.headers(), call.params)
    except ApiError as error:
        kind = call.kind
        if (
            (kind in ("trash", "purge") and error.status == 404)
            or (kind == "restore" and error.status == 409)
            or (kind == "edit" and error.status == 404 and is_tag_call(call))
        ):
            return None
        if kind == "edit" and error.status == 412 and call.expense_id is not None:
            theirs = client.expense(call.expense_id)
            if call.body and holds(theirs, call.body):
                return theirs
            raise Conflict(error, call, theirs) from None
        raise


def holds(expense: Expense, fields: dict[str, Any]) -> bool:
    """Does ``expense`` already have these values (as the wire spells them)?"""
    current = msgspec.to_builtins(expense)
    for name, value in fields.items():
        if name in ("amount", "base_amount") and value is not None:
            if current.get(name) is None or Decimal(str(current[name])) != Decimal(str(value)):
                return False
        elif name == "tags":  # the server keeps a user's first spelling, in its own order
            if {t.casefold() for t in current.get(name, [])} != {t.casefold() for t in value}:
                return False
        elif current.get(name) != value:
            return False
    return True
