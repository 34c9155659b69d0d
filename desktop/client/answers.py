"""What an ``Op``'s call answers, by its path: an expense, a budget, a recurring plan.

The offline queue stores the answers of the calls an op already made (undo is
computed from them), so they are decoded the same way when sent and when read back
from the queue after a restart.
"""

from __future__ import annotations

from typing import Any

import msgspec

from desktop.client.http import API
from wire.budgets import Budget
from wire.expenses import Expense
from wire.recurring import Recurring

Answer = Expense | Budget | Recurring | None


def answer_type(path: str) -> type[Expense] | type[Budget] | type[Recurring] | None:
    """``None``: an answer nothing needs (a tag op's)."""
    if path.startswith(f"{API}/expenses"):
        return Expense
    if path.startswith(f"{API}/budgets"):
        return Budget
    if path.startswith(f"{API}/recurring"):
        # Recording an occurrence answers the expense it created.
        return Expense if path.endswith("/post") else Recurring
    return None


def decode_answer(path: str, content: bytes) -> Answer:
    kind = answer_type(path)
    return None if kind is None or not content else msgspec.json.decode(content, type=kind)


def convert_answer(path: str, raw: Any) -> Answer:
    """An answer as stored (JSON builtins) back into its struct."""
    kind = answer_type(path)
    return None if kind is None or raw is None else msgspec.convert(raw, kind)
