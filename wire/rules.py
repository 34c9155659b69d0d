"""Rules: ``when`` an expense looks like this, ``then`` set its category, tags, description.

The same structs are read from requests and from the stored JSON documents, so a
rule is checked by one set of rules whichever way it arrives.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from wire.validation import (
    CURRENCY_PATTERN,
    MAX_DESCRIPTION,
    FieldError,
    Id,
    check_not_blank,
    check_tags,
    parse_amount,
)

MAX_RULE_NAME = 100
MAX_ACCOUNT = 100
MAX_POSITION = 1_000_000

Pattern = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_DESCRIPTION)]
AmountBound = Annotated[
    str | int,
    msgspec.Meta(description="A decimal (negative: a refund), at most two decimals; inclusive"),
]
RuleName = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_RULE_NAME)]
Position = Annotated[
    int, msgspec.Meta(ge=0, le=MAX_POSITION, description="Rules run in this order; ties by id")
]


class RuleWhen(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Every condition given must hold; text compares case-insensitively (case folding)."""

    description_contains: Pattern | None = None
    description_starts_with: Pattern | None = None
    description_equals: Pattern | None = None
    amount_min: AmountBound | None = None
    amount_max: AmountBound | None = None
    account: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_ACCOUNT)] | None = None
    currency: Annotated[str, msgspec.Meta(pattern=CURRENCY_PATTERN)] | None = None

    def __post_init__(self) -> None:
        # Plain ValueErrors: msgspec names the path (`$.when`) itself.
        for name in ("amount_min", "amount_max"):
            value = getattr(self, name)
            if value is not None:
                try:
                    setattr(self, name, parse_amount(value, name, positive=False))
                except FieldError as error:
                    raise ValueError(f"{name}: {error.reason}") from None
        if all(getattr(self, name) is None for name in self.__struct_fields__):
            raise ValueError("Give at least one condition")
        low, high = self.amount_min, self.amount_max
        if low is not None and high is not None and low > high:  # type: ignore[operator]
            raise ValueError("amount_min must not be above amount_max")


class RuleThen(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    category_id: Id | None = None
    tags_add: list[Annotated[str, msgspec.Meta(max_length=200)]] | None = None
    description: Annotated[str, msgspec.Meta(max_length=MAX_DESCRIPTION)] | None = None

    def __post_init__(self) -> None:
        try:
            if self.tags_add is not None:
                self.tags_add = check_tags(self.tags_add, "tags_add") or None
            if self.description is not None:
                self.description = check_not_blank(self.description, "description")
        except FieldError as error:
            raise ValueError(f"{error.field}: {error.reason}") from None
        if self.category_id is None and self.tags_add is None and self.description is None:
            raise ValueError("Give at least one action")


class Rule(msgspec.Struct):
    id: int
    name: str
    position: int
    when: RuleWhen
    then: RuleThen


class RuleList(msgspec.Struct):
    items: list[Rule]


class RuleCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: RuleName
    when: RuleWhen
    then: RuleThen
    # Omitted: after the user's last rule.
    position: Position | None = None

    def __post_init__(self) -> None:
        self.name = check_not_blank(self.name, "name")


class RuleUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: RuleName | msgspec.UnsetType = msgspec.UNSET
    position: Position | msgspec.UnsetType = msgspec.UNSET
    when: RuleWhen | msgspec.UnsetType = msgspec.UNSET
    then: RuleThen | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.name, str):
            self.name = check_not_blank(self.name, "name")


class RuleApplication(msgspec.Struct):
    matched: int  # live expenses the rule's conditions hold for
    changed: int  # of those, the ones it changes (or would, in a dry run)
