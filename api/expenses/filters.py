"""The filters shared by the expense list, summary and export, compiled to SQL.

Every clause starts with the user id: the query is scoped to its owner in SQL,
never filtered afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from litestar.params import Parameter

from api.errors import Problem, field_problem
from api.params import DateFrom, DateTo, QueryId, reject_reversed
from api.tags.queries import HAS_TAG_SQL
from wire.validation import CURRENCY_PATTERN, MAX_TAGS, FieldError, check_tag, parse_amount

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class ExpenseFilters:
    date_from: date | None = None
    date_to: date | None = None
    category_id: int | None = None
    text: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    tags: tuple[str, ...] = ()
    currency: str | None = None
    # True: only the expenses still waiting for a rate (the "not converted" badge).
    unconverted: bool = False

    def narrow(self) -> bool:
        """Whether any filter is set (the owner and the trash always apply)."""
        return self != _NO_FILTER

    def where(
        self, user_id: int, alias: str = "e", *, owner: bool = True
    ) -> tuple[str, list[object]]:
        """``WHERE`` conditions (without the keyword) and their arguments, from ``$1``.

        ``$1`` is always the owner; ``owner=False`` leaves its condition to the caller,
        for a statement that reaches the user's rows another way and checks the owner
        where it costs nothing (see ``sorting.by_category_sql``).
        """
        # The trash is in no list, total or export.
        conditions = [f"{alias}.user_id = $1"] if owner else []
        conditions.append(f"{alias}.deleted_at IS NULL")
        args: list[object] = [user_id]

        def add(template: str, value: object) -> None:
            args.append(value)
            conditions.append(template.format(a=alias, n=len(args)))

        if self.date_from is not None:
            add("{a}.spent_on >= ${n}", self.date_from)
        if self.date_to is not None:
            add("{a}.spent_on <= ${n}", self.date_to)
        if self.category_id is not None:
            # A split expense matches when any of its parts is in the category.
            add(
                "({a}.category_id = ${n} OR {a}.split_category_ids @> ARRAY[${n}::bigint])",
                self.category_id,
            )
        if self.currency is not None:
            add("{a}.currency = ${n}", self.currency)
        if self.unconverted:
            conditions.append(f"{alias}.base_amount IS NULL")
        if self.min_amount is not None:
            add("{a}.amount >= ${n}", self.min_amount)
        if self.max_amount is not None:
            add("{a}.amount <= ${n}", self.max_amount)
        if self.text:
            add("({a}.description ILIKE ${n} OR {a}.notes ILIKE ${n})", _contains(self.text))
        for tag in self.tags:
            add(HAS_TAG_SQL, tag)
        return " AND ".join(conditions), args


_NO_FILTER = ExpenseFilters()


def _contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _tags(raw: list[str] | None) -> tuple[str, ...]:
    try:
        if raw is not None and len(raw) > MAX_TAGS:
            raise FieldError("tag", f"At most {MAX_TAGS} tags")
        return tuple(check_tag(value, "tag") for value in raw or ())
    except FieldError as error:
        raise field_problem(error, "query") from None


def _amount_bound(name: str, raw: str | None) -> Decimal | None:
    if raw is None:
        return None
    try:
        return parse_amount(raw, name, positive=False)
    except FieldError as error:
        raise field_problem(error, "query") from None


def expense_filters(
    date_from: DateFrom = None,
    date_to: DateTo = None,
    category_id: QueryId = None,
    q: Annotated[
        str | None,
        Parameter(
            max_length=MAX_QUERY_LENGTH,
            description="Case-insensitive text in description or notes",
        ),
    ] = None,
    min_amount: Annotated[str | None, Parameter(description="Smallest amount, e.g. 10.00")] = None,
    max_amount: Annotated[str | None, Parameter(description="Largest amount, e.g. 99.99")] = None,
    tag: Annotated[
        list[str] | None,
        Parameter(
            description="A tag the expense carries (case-insensitive); repeat it to "
            "require several (all of them)"
        ),
    ] = None,
    currency: Annotated[
        str | None,
        Parameter(pattern=CURRENCY_PATTERN, description="Only expenses in this ISO 4217 currency"),
    ] = None,
    unconverted: Annotated[
        bool,
        Parameter(description="`true`: only the expenses still waiting for an exchange rate"),
    ] = False,
) -> ExpenseFilters:
    """Dependency: the list filters of API.md, validated (422 on anything off)."""
    reject_reversed(date_from, date_to)
    low = _amount_bound("min_amount", min_amount)
    high = _amount_bound("max_amount", max_amount)
    if low is not None and high is not None and low > high:
        raise Problem(
            422,
            "min_amount must not exceed max_amount.",
            errors=[
                {"field": "min_amount", "message": "Must not exceed max_amount", "source": "query"}
            ],
        )
    return ExpenseFilters(
        date_from=date_from,
        date_to=date_to,
        category_id=category_id,
        text=(q or "").strip() or None,
        min_amount=low,
        max_amount=high,
        tags=_tags(tag),
        currency=currency,
        unconverted=unconverted,
    )
