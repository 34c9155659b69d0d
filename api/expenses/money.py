"""An update's money fields as columns, checked against the expense they change.

Rules that span fields (the split sum, the charged amount's sign) can only be
checked once the change is laid over the stored expense; the body alone may name
just one side of them. The rules themselves are wire.validation's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from api.expenses.queries import split_arrays
from wire.expenses import Expense
from wire.validation import check_base_amount, check_splits


def column_changes(current: Expense, changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` (wire fields) as column assignments; a FieldError breaks a rule."""
    columns = {
        field: value for field, value in changes.items() if field not in ("base_amount", "splits")
    }
    amount: Decimal = changes.get("amount", current.amount)
    if "base_amount" in changes:
        base = changes["base_amount"]
        # null returns to conversion: the trigger converts an unsettled row whose
        # base amount is NULL (m0015).
        columns["base_amount"] = base
        columns["settled"] = base is not None
    else:
        base = current.base_amount if current.settled else None
    if base is not None:
        check_base_amount(base, amount)
    parts = changes.get("splits", current.splits)
    if parts is not None:
        check_splits([(part.category_id, part.amount) for part in parts], amount)
    if "splits" in changes:
        columns["split_category_ids"], columns["split_amounts"] = split_arrays(parts)
    if parts is not None and ("splits" in changes or "category_id" in changes):
        columns["category_id"] = parts[0].category_id  # the first part's, always
    return columns


def part_categories(changes: dict[str, Any]) -> list[int]:
    """The categories a change of splits names (to check they are the user's)."""
    parts = changes.get("splits")
    return [part.category_id for part in parts] if parts else []
