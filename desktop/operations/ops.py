"""``Op``: one user action as the writes it makes, fixed when made so it can be replayed.

Anki's ``aqt/operations`` made durable: an op is plain data (a msgspec struct), so
the offline queue can store it and a later process can send it. Every header that
makes a replay safe is decided here, once: a create's ``Idempotency-Key`` and an
edit's ``If-Match``. The inverse of an op is computed from the server's answers,
which is why undo is pushed only once the server agreed.
"""

from __future__ import annotations

import enum
import re
import uuid
from typing import Any

import msgspec

from wire.expenses import Expense

API = "/api/v1/expenses"
_ONE = re.compile(rf"^{API}/(\d+)(/restore)?$")


class Changes(enum.IntFlag):
    """What an op touched: views refresh when their part changed."""

    EXPENSES = 1
    TRASH = 2
    CATEGORIES = 4
    TAGS = 8
    BUDGETS = 16
    RECURRING = 32


class Call(msgspec.Struct, frozen=True):
    method: str
    path: str
    body: dict[str, Any] | None = None
    idempotency_key: str | None = None
    if_match: int | None = None  # the version the user saw; a replay cannot overwrite news
    params: dict[str, str] = {}
    before: Expense | None = None  # what the user saw (an edit's undo; "theirs" in a conflict)
    # Budgets and recurring plans: the body that takes this call back, fixed when made
    # (their answers are not expenses, so ``before`` cannot carry what the user saw).
    undo: dict[str, Any] | None = None

    @property
    def expense_id(self) -> int | None:
        match = _ONE.match(self.path)
        return int(match.group(1)) if match else None

    @property
    def kind(self) -> str:
        if self.method == "POST":
            return "restore" if self.path.endswith("/restore") else "create"
        if self.method == "DELETE":
            return "purge" if self.params.get("purge") == "true" else "trash"
        return "edit"

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.idempotency_key:
            headers["Idempotency-Key"] = self.idempotency_key
        if self.if_match is not None:
            headers["If-Match"] = f'"{self.if_match}"'
        return headers


class Op(msgspec.Struct):
    label: str  # "Delete 3 expenses": the Edit menu says "Undo Delete 3 expenses"
    changes: int  # a Changes flag
    calls: list[Call]
    undoable: bool = True
    id: str = msgspec.field(default_factory=lambda: uuid.uuid4().hex)


def new_key() -> str:
    return str(uuid.uuid4())
