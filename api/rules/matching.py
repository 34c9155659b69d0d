"""Which rules hold for an expense, and what they set: pure, shared by every caller.

Text compares under Unicode case folding ("STRASSE" equals "straße"). Rules are
tried in ``position`` order (ties by id); for each action field — category, tags,
description — the first matching rule that sets it wins, so a later rule can
still add tags to what an earlier one categorised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from wire.rules import Rule, RuleWhen


@dataclass(slots=True)
class Effect:
    category_id: int | None = None
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    rule_id: int | None = None  # the first rule that matched, whatever it set


def matches(
    when: RuleWhen, description: str, amount: Decimal, account: str | None, currency: str
) -> bool:
    text = description.casefold()
    if when.description_contains is not None and when.description_contains.casefold() not in text:
        return False
    if when.description_starts_with is not None and not text.startswith(
        when.description_starts_with.casefold()
    ):
        return False
    if when.description_equals is not None and text != when.description_equals.casefold():
        return False
    if when.amount_min is not None and amount < when.amount_min:  # type: ignore[operator]
        return False
    if when.amount_max is not None and amount > when.amount_max:  # type: ignore[operator]
        return False
    if when.account is not None and (account or "").casefold() != when.account.casefold():
        return False
    return when.currency is None or when.currency == currency


def effect(
    rules: list[Rule],
    description: str,
    amount: Decimal,
    account: str | None,
    currency: str,
    category_ids: set[int],
) -> Effect:
    """What ``rules`` (in order) do to one expense; a rule's deleted category is skipped."""
    result = Effect()
    for rule in rules:
        if not matches(rule.when, description, amount, account, currency):
            continue
        if result.rule_id is None:
            result.rule_id = rule.id
        then = rule.then
        if result.category_id is None and then.category_id in category_ids:
            result.category_id = then.category_id
        if not result.tags and then.tags_add:
            result.tags = list(then.tags_add)
        if result.description is None and then.description is not None:
            result.description = then.description
    return result
