"""The ops of bank imports: undo an import, save a profile, create a rule.

None of them has an inverse the server could replay: an undone import leaves the
history (its expenses wait in the Trash, restorable there one by one), and the API
answers a new rule or profile with a struct the undo stack does not keep. So they
are marked not undoable. Replaying an undo is harmless (a second one is a 404, which
counts as done). The rules and profiles routes keep no Idempotency-Key (API.md gives
them none), so a crash between the server's answer and the queue's record can leave
a second, identical rule: harmless, since the first matching rule wins.
"""

from __future__ import annotations

import msgspec

from desktop.client.imports import IMPORTS, PROFILES, RULES
from desktop.operations.ops import Call, Changes, Op
from wire.imports import ImportProfileCreate, ImportRecord
from wire.rules import RuleCreate

NOTHING_SHOWN = 0  # no view lists rules or profiles: their initiator reloads itself


def undo_import(record: ImportRecord) -> Op:
    noun = "expense" if record.created == 1 else "expenses"
    label = f"Undo import of {record.created} {noun}"
    call = Call("DELETE", f"{IMPORTS}/{record.id}")
    return Op(label, int(Changes.EXPENSES | Changes.TRASH), [call], undoable=False)


def save_profile(data: ImportProfileCreate) -> Op:
    call = Call("POST", PROFILES, msgspec.to_builtins(data))
    return Op(f"Save import profile {data.name}", NOTHING_SHOWN, [call], undoable=False)


def create_rule(data: RuleCreate) -> Op:
    call = Call("POST", RULES, msgspec.to_builtins(data))
    return Op(f"Create rule {data.name}", NOTHING_SHOWN, [call], undoable=False)
