from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from wire.validation import (
    CURRENCY_PATTERN,
    MAX_DESCRIPTION,
    MAX_NOTES,
    MAX_SPLITS,
    MAX_TAGS,
    FieldError,
    Id,
    check_base_amount,
    check_currency,
    check_date,
    check_splits,
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
CurrencyIn = Annotated[
    str,
    msgspec.Meta(
        pattern=CURRENCY_PATTERN,
        description="ISO 4217 code; default: the account's base currency at creation",
        examples=["EUR"],
    ),
]
BaseAmountIn = Annotated[
    str | int,
    msgspec.Meta(
        description="What the bank really charged, in the base currency (the sign of "
        "`amount`): kept as given, and the expense is `settled`; null returns to "
        "conversion at the day's rate",
        examples=["13.37"],
    ),
]
REFUND_OF = msgspec.Meta(
    description="The id of the expense this one refunds: a positive, live expense of "
    "yours other than this one (else 422); null for none"
)


class Split(msgspec.Struct):
    """One part of a split expense: its category and its share of the amount."""

    category_id: int
    amount: Decimal


class SplitIn(msgspec.Struct, forbid_unknown_fields=True):
    category_id: Id
    # Parsed by the expense that holds it (parse_parts), so an error names its index.
    amount: AmountIn


def parse_parts(parts: list[SplitIn]) -> list[SplitIn]:
    for index, part in enumerate(parts):
        part.amount = parse_expense_amount(part.amount, f"splits[{index}].amount")
    return parts


SplitsIn = Annotated[
    list[SplitIn],
    msgspec.Meta(
        max_length=MAX_SPLITS,
        description="2-50 parts, each non-zero with the sign of `amount`, summing to it "
        "exactly; the expense's `category_id` is then the first part's",
    ),
]


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
    # Second-release money fields; defaults keep older servers' answers readable.
    currency: str = ""
    # In the account's base currency; None while no rate is known.
    base_amount: Decimal | None = None
    # Base units per 1 unit of `currency` on the expense's day; None when unknown.
    rate: Decimal | None = None
    # True when base_amount is what the bank charged (given by the user), not converted.
    settled: bool = False
    splits: list[Split] | None = None
    # Set on expenses a bank-file import created: the import (null once undone),
    # the account label and the bank's transaction id.
    import_id: int | None = None
    account: str | None = None
    external_id: str | None = None
    # The recurring expense whose occurrence this expense paid (api/recurring), or None.
    recurring_id: int | None = None


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


# kw_only: with splits, category_id may be left out, so it has a default before
# the required spent_on.
class ExpenseCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    amount: AmountIn
    category_id: Annotated[
        Id | None, msgspec.Meta(description="Required unless `splits` is given")
    ] = None
    spent_on: date
    description: Description = ""
    notes: Notes = ""
    refund_of: Annotated[Id | None, REFUND_OF] = None
    tags: TagsIn = []
    currency: CurrencyIn | None = None
    base_amount: BaseAmountIn | None = None
    splits: SplitsIn | None = None

    def __post_init__(self) -> None:
        self.amount = parse_expense_amount(self.amount)
        self.tags = check_tags(self.tags)
        if self.currency is not None:
            self.currency = check_currency(self.currency)
        if self.base_amount is not None:
            base = parse_expense_amount(self.base_amount, "base_amount")
            self.base_amount = check_base_amount(base, self.amount)
        if self.splits is not None:
            parts = parse_parts(self.splits)
            check_splits([(part.category_id, part.amount) for part in parts], self.amount)
            self.category_id = self.splits[0].category_id
        elif self.category_id is None:
            raise FieldError("category_id", "Required (or give `splits`)")
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
    currency: CurrencyIn | msgspec.UnsetType = msgspec.UNSET
    base_amount: BaseAmountIn | msgspec.UnsetType | None = msgspec.UNSET
    # null: no longer split (then give category_id, or the first part's is kept).
    splits: SplitsIn | msgspec.UnsetType | None = msgspec.UNSET

    def __post_init__(self) -> None:
        # Rules that span fields (base amount's sign, the split sum) are checked
        # by the route against the merged expense (api/expenses/money.py).
        if self.amount is not msgspec.UNSET:
            self.amount = parse_expense_amount(self.amount)
        if isinstance(self.currency, str):
            self.currency = check_currency(self.currency)
        if self.base_amount is not None and self.base_amount is not msgspec.UNSET:
            self.base_amount = parse_expense_amount(self.base_amount, "base_amount")
        if isinstance(self.splits, list):
            self.splits = parse_parts(self.splits)
        if isinstance(self.tags, list):
            self.tags = check_tags(self.tags)
        if isinstance(self.spent_on, date):
            self.spent_on = check_date(self.spent_on)
        if isinstance(self.description, str):
            self.description = self.description.strip()
        if isinstance(self.notes, str):
            self.notes = self.notes.strip()


class ExpenseSummary(msgspec.Struct):
    """``count`` counts every match; the rest are over the converted ones, in the base currency."""

    count: int
    total: Decimal
    average: Decimal | None
    min: Decimal | None
    max: Decimal | None
    # Matches left out of the totals for want of a rate.
    unconverted: int = 0
    currency: str = ""


class ImportLineError(msgspec.Struct):
    line: int
    message: str


class ImportReport(msgspec.Struct):
    created: int
    duplicates: int
    errors: list[ImportLineError]
