"""Recurring expenses: the plan, its occurrences, suggestions and the calendar link."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

import msgspec

from wire.expenses import CurrencyIn, Description, TagsIn
from wire.validation import (
    MAX_DAY_TOLERANCE,
    MAX_INTERVAL,
    FieldError,
    Id,
    check_currency,
    check_date,
    check_not_blank,
    check_tags,
    parse_amount,
)

Every = Literal["week", "month", "year"]
OccurrenceStatus = Literal["expected", "overdue", "paid"]
AmountIn = Annotated[
    str | int,
    msgspec.Meta(
        description="Greater than zero, at most two decimals, at most 999999999.99; "
        "number or string",
        examples=["15.99"],
    ),
]
Interval = Annotated[
    int, msgspec.Meta(ge=1, le=MAX_INTERVAL, description="Every n weeks/months/years")
]
AmountTolerance = Annotated[
    float,
    msgspec.Meta(
        ge=0,
        le=1,
        description="How far a payment's amount may differ, as a fraction of `amount`",
    ),
]
DayTolerance = Annotated[
    int,
    msgspec.Meta(ge=0, le=MAX_DAY_TOLERANCE, description="How many days early or late"),
]
DEFAULT_AMOUNT_TOLERANCE = 0.10
DEFAULT_DAY_TOLERANCE = 3


class Recurring(msgspec.Struct):
    id: int
    description: str
    amount: Decimal
    currency: str
    category_id: int
    tags: list[str]
    every: Every
    interval: int
    next_due: date
    ends: date | None
    amount_tolerance: float
    day_tolerance: int
    version: int


class RecurringList(msgspec.Struct):
    items: list[Recurring]


def _check_ends(next_due: date, ends: date | None) -> None:
    if ends is not None and ends < next_due:
        raise FieldError("ends", "Must not be before next_due")


class RecurringCreate(msgspec.Struct, forbid_unknown_fields=True):
    description: Description
    amount: AmountIn
    category_id: Id
    next_due: date
    # None: the account's base currency.
    currency: CurrencyIn | None = None
    tags: TagsIn = []
    every: Every = "month"
    interval: Interval = 1
    ends: date | None = None
    amount_tolerance: AmountTolerance = DEFAULT_AMOUNT_TOLERANCE
    day_tolerance: DayTolerance = DEFAULT_DAY_TOLERANCE

    def __post_init__(self) -> None:
        # Matching looks for this text inside descriptions: blank would match anything.
        self.description = check_not_blank(self.description, "description")
        self.amount = parse_amount(self.amount)
        if self.currency is not None:
            self.currency = check_currency(self.currency)
        self.tags = check_tags(self.tags)
        self.next_due = check_date(self.next_due, "next_due")
        if self.ends is not None:
            self.ends = check_date(self.ends, "ends")
        _check_ends(self.next_due, self.ends)


class RecurringUpdate(msgspec.Struct, forbid_unknown_fields=True):
    description: Description | msgspec.UnsetType = msgspec.UNSET
    amount: AmountIn | msgspec.UnsetType = msgspec.UNSET
    currency: CurrencyIn | msgspec.UnsetType = msgspec.UNSET
    category_id: Id | msgspec.UnsetType = msgspec.UNSET
    tags: TagsIn | msgspec.UnsetType = msgspec.UNSET
    every: Every | msgspec.UnsetType = msgspec.UNSET
    interval: Interval | msgspec.UnsetType = msgspec.UNSET
    next_due: date | msgspec.UnsetType = msgspec.UNSET
    ends: date | msgspec.UnsetType | None = msgspec.UNSET
    amount_tolerance: AmountTolerance | msgspec.UnsetType = msgspec.UNSET
    day_tolerance: DayTolerance | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.description, str):
            self.description = check_not_blank(self.description, "description")
        if self.amount is not msgspec.UNSET:
            self.amount = parse_amount(self.amount)
        if isinstance(self.currency, str):
            self.currency = check_currency(self.currency)
        if isinstance(self.tags, list):
            self.tags = check_tags(self.tags)
        if isinstance(self.next_due, date):
            self.next_due = check_date(self.next_due, "next_due")
        if isinstance(self.ends, date):
            self.ends = check_date(self.ends, "ends")
        if isinstance(self.next_due, date) and isinstance(self.ends, date):
            _check_ends(self.next_due, self.ends)


class Occurrence(msgspec.Struct):
    recurring_id: int
    description: str
    due: date
    amount: Decimal
    currency: str
    status: OccurrenceStatus
    expense_id: int | None
    # The amount before the last payment changed it, on the next occurrence only.
    previous_amount: Decimal | None


class Upcoming(msgspec.Struct):
    items: list[Occurrence]


class PostOccurrence(msgspec.Struct, forbid_unknown_fields=True):
    due: date

    def __post_init__(self) -> None:
        self.due = check_date(self.due, "due")


class Suggestion(msgspec.Struct):
    description: str
    category_id: int
    amount: Decimal
    currency: str
    every: Every
    interval: int
    next_due: date
    expense_ids: list[int]


class SuggestionList(msgspec.Struct):
    items: list[Suggestion]


class CalendarLink(msgspec.Struct):
    url: str
