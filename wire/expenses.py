from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from wire.validation import (
    MAX_DESCRIPTION,
    MAX_NOTES,
    MAX_TAGS,
    Id,
    check_date,
    check_tags,
    parse_expense_amount,
)

Description = Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION)]
Notes = Annotated[str, msgspec.Meta(max_length=MAX_NOTES)]
# The text of the amount as sent (a JSON string, or the literal of a JSON number),
# so that parse_expense_amount sees exactly what the client wrote; a Decimal once parsed.
AmountIn = Annotated[
    str | int,
    msgspec.Meta(
        description="Not zero (negative: a refund or credit), at most two decimals, "
        "at most 999999999.99 in size; number or string",
        examples=["12.50"],
    ),
]

# Each tag is trimmed, then 1-40 characters without a comma (check_tags); the
# length bound here only stops an absurd string before it is read.
TagsIn = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=200)]],
    msgspec.Meta(
        max_length=MAX_TAGS,
        description="Up to 20 tags, each 1-40 characters once trimmed, no commas; "
        "repeats (compared case-insensitively) count once; a user's first spelling is kept",
    ),
]
REFUND_OF = msgspec.Meta(
    description="The id of the expense this one refunds: a positive, live expense of "
    "yours other than this one (else 422); null for none"
)


class Expense(msgspec.Struct):
    id: int
    amount: Decimal
    category_id: int
    category: str
    description: str
    notes: str
    spent_on: date
    created_at: datetime
    updated_at: datetime
    version: int
    # The expense this one refunds (a positive one of the same user), or None. The
    # default keeps clients that build an Expense themselves, and older servers'
    # answers, working.
    refund_of: int | None = None
    # By name, case-insensitively; each in the spelling the user first wrote.
    tags: list[str] = []


class ExpensePage(msgspec.Struct):
    items: list[Expense]
    next_cursor: str | None


# kw_only: a required field cannot follow Expense's defaulted refund_of otherwise.
class TrashedExpense(Expense, kw_only=True):
    deleted_at: datetime


class TrashPage(msgspec.Struct):
    items: list[TrashedExpense]
    next_cursor: str | None


ExpenseSort = Literal["spent_on", "amount", "description", "category", "created_at"]
SortOrder = Literal["desc", "asc"]


class ExpenseCreate(msgspec.Struct, forbid_unknown_fields=True):
    amount: AmountIn
    category_id: Id
    spent_on: date
    description: Description = ""
    notes: Notes = ""
    refund_of: Annotated[Id | None, REFUND_OF] = None
    tags: TagsIn = []

    def __post_init__(self) -> None:
        self.amount = parse_expense_amount(self.amount)
        self.tags = check_tags(self.tags)
        self.spent_on = check_date(self.spent_on)
        self.description = self.description.strip()
        self.notes = self.notes.strip()


class ExpenseUpdate(msgspec.Struct, forbid_unknown_fields=True):
    amount: AmountIn | msgspec.UnsetType = msgspec.UNSET
    category_id: Id | msgspec.UnsetType = msgspec.UNSET
    spent_on: date | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    notes: Notes | msgspec.UnsetType = msgspec.UNSET
    refund_of: Annotated[Id | None, REFUND_OF] | msgspec.UnsetType = msgspec.UNSET
    tags: TagsIn | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if self.amount is not msgspec.UNSET:
            self.amount = parse_expense_amount(self.amount)
        if isinstance(self.tags, list):
            self.tags = check_tags(self.tags)
        if isinstance(self.spent_on, date):
            self.spent_on = check_date(self.spent_on)
        if isinstance(self.description, str):
            self.description = self.description.strip()
        if isinstance(self.notes, str):
            self.notes = self.notes.strip()


class ExpenseSummary(msgspec.Struct):
    count: int
    total: Decimal
    average: Decimal | None
    min: Decimal | None
    max: Decimal | None


class ImportLineError(msgspec.Struct):
    line: int
    message: str


class ImportReport(msgspec.Struct):
    created: int
    duplicates: int
    errors: list[ImportLineError]
