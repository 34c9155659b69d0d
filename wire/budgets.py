"""Budgets: a monthly limit per category (or for all spending), and the month's status."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from wire.validation import MONTH_PATTERN, Id, check_month, parse_amount

Month = Annotated[
    str, msgspec.Meta(pattern=MONTH_PATTERN, description="A month, YYYY-MM", examples=["2026-01"])
]
LimitIn = Annotated[
    str | int,
    msgspec.Meta(
        description="The monthly limit in the base currency: greater than zero, at most "
        "two decimals, at most 999999999.99; number or string",
        examples=["400.00"],
    ),
]
CATEGORY = msgspec.Meta(description="One of your categories, or null for all spending")


class Budget(msgspec.Struct):
    id: int
    category_id: int | None
    amount: Decimal
    rollover: bool
    starts: str
    version: int


class BudgetList(msgspec.Struct):
    items: list[Budget]


class BudgetCreate(msgspec.Struct, forbid_unknown_fields=True):
    amount: LimitIn
    category_id: Annotated[Id | None, CATEGORY] = None
    rollover: bool = False
    # None: the current month (the server's clock, UTC).
    starts: Month | None = None

    def __post_init__(self) -> None:
        self.amount = parse_amount(self.amount)
        if self.starts is not None:
            check_month(self.starts)


class BudgetUpdate(msgspec.Struct, forbid_unknown_fields=True):
    amount: LimitIn | msgspec.UnsetType = msgspec.UNSET
    category_id: Annotated[Id | None, CATEGORY] | msgspec.UnsetType = msgspec.UNSET
    rollover: bool | msgspec.UnsetType = msgspec.UNSET
    starts: Month | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if self.amount is not msgspec.UNSET:
            self.amount = parse_amount(self.amount)
        if isinstance(self.starts, str):
            check_month(self.starts)


class BudgetLine(msgspec.Struct):
    """One budget in one month; every amount in the base currency."""

    budget_id: int
    category_id: int | None
    name: str
    limit: Decimal
    carried: Decimal
    available: Decimal
    spent: Decimal
    remaining: Decimal
    projected: Decimal


class BudgetStatus(msgspec.Struct):
    currency: str
    month: str
    budgets: list[BudgetLine]
    # Expenses left out of `spent` and `carried` because no rate converts them yet.
    unconverted: int
