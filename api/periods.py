"""Month arithmetic for whatever reads the monthly rollup: analytics, budgets, the summary.

The rollup table answers whole months; only the partial months at the edges of a
date range need the expense rows. :func:`split_range` says which is which.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from api.errors import Problem
from api.params import reject_reversed

# A bound on the series we generate: 100 years of months is far beyond any chart.
MAX_MONTHS = 1200
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_index(day: date) -> int:
    """Months since year 0; consecutive months have consecutive indexes."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_month(field: str, raw: str) -> date:
    """``YYYY-MM`` → the first day of that month, or a 422 naming the query field."""
    match = _MONTH.match(raw.strip())
    try:
        if match is None:
            raise ValueError(raw)
        return date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise Problem(
            422,
            f"`{field}` must be a month like 2025-08.",
            errors=[{"field": field, "message": "Must be a month YYYY-MM", "source": "query"}],
        ) from None


def month_range(raw_from: str | None, raw_to: str | None, today: date) -> tuple[date, date]:
    """First days of the first and last month; by default the 12 months up to today's."""
    last = parse_month("to", raw_to) if raw_to is not None else today.replace(day=1)
    if raw_from is not None:
        first = parse_month("from", raw_from)
    else:
        # Twelve months ending with `to`, clamped at year 1 so it is always a date.
        first = month_start(max(month_index(last) - 11, 12))
    reject_reversed(first, last)
    if month_index(last) - month_index(first) + 1 > MAX_MONTHS:
        raise Problem(
            422,
            f"The range may span at most {MAX_MONTHS} months.",
            errors=[{"field": "from", "message": "Range too long", "source": "query"}],
        )
    return first, last


def day_range(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """Inclusive days; by default the current month (see the route's description)."""
    if first is None:
        first = (last or today).replace(day=1)
    if last is None:
        last = month_end(month_index(max(first, today)))
    reject_reversed(first, last)
    return first, last


@dataclass(frozen=True, slots=True)
class RangeSplit:
    """Inclusive bounds; a part that is absent has both bounds ``None``.

    ``months`` are first days of the whole months (rollup rows); ``head`` and
    ``tail`` are the days of the partial months before and after them.
    """

    months: tuple[date | None, date | None]
    head: tuple[date | None, date | None]
    tail: tuple[date | None, date | None]


NOTHING: tuple[date | None, date | None] = (None, None)


def split_range(first: date, last: date) -> RangeSplit:
    """Split ``[first, last]`` into whole months and the partial days around them."""
    first_whole = month_index(first) + (0 if first.day == 1 else 1)
    ends_month = last + timedelta(days=1) if last < date.max else None
    last_whole = month_index(last) - (0 if ends_month is None or ends_month.day == 1 else 1)
    if first_whole > last_whole:
        # No whole month inside: every day is read from the expense rows.
        return RangeSplit(months=NOTHING, head=(first, last), tail=NOTHING)
    months = (month_start(first_whole), month_start(last_whole))
    head = NOTHING if first.day == 1 else (first, month_start(first_whole) - timedelta(days=1))
    tail = NOTHING if last == month_end(last_whole) else (month_start(last_whole + 1), last)
    return RangeSplit(months=months, head=head, tail=tail)
