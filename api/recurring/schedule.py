"""When a recurring expense falls due: pure date arithmetic, no database.

Occurrence n of a plan is ``anchor`` + n x ``interval`` weeks, months or years. Each
is computed from the anchor, never from the previous one, so a monthly plan
anchored on the 31st gives Jan 31, Feb 28, Mar 31 — it does not drift to the 28th.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from wire.validation import EARLIEST_DATE, LATEST_DATE


@dataclass(frozen=True, slots=True)
class Plan:
    anchor: date
    every: str  # "week" | "month" | "year"
    interval: int
    ends: date | None = None


def add_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, held within the dates an expense can have."""
    try:
        moved = day + timedelta(days=days)
    except OverflowError:
        return LATEST_DATE if days > 0 else EARLIEST_DATE
    return min(max(moved, EARLIEST_DATE), LATEST_DATE)


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the end of shorter months."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def occurrence(plan: Plan, n: int) -> date:
    if plan.every == "week":
        return plan.anchor + timedelta(weeks=plan.interval * n)
    months = plan.interval * n * (12 if plan.every == "year" else 1)
    return add_months(plan.anchor, months)


def index_from(plan: Plan, day: date) -> int:
    """The smallest n whose occurrence is on or after ``day`` (0 before the anchor)."""
    if day <= plan.anchor:
        return 0
    if plan.every == "week":
        n = (day - plan.anchor).days // (7 * plan.interval)
    else:
        step = plan.interval * (12 if plan.every == "year" else 1)
        n = ((day.year - plan.anchor.year) * 12 + day.month - plan.anchor.month) // step
    n = max(n - 1, 0)
    while occurrence(plan, n) < day:
        n += 1
    return n


def is_occurrence(plan: Plan, day: date) -> bool:
    return occurrence(plan, index_from(plan, day)) == day and in_plan(plan, day)


def in_plan(plan: Plan, day: date) -> bool:
    return day >= plan.anchor and (plan.ends is None or day <= plan.ends)


def occurrences(plan: Plan, first: date, last: date) -> Iterator[date]:
    """Every occurrence from ``first`` to ``last`` (inclusive), within the plan's end."""
    if plan.ends is not None:
        last = min(last, plan.ends)
    n = index_from(plan, first)
    while True:
        try:
            day = occurrence(plan, n)
        except (ValueError, OverflowError):  # past year 9999
            return
        if day > last or day > LATEST_DATE:
            return
        yield day
        n += 1


def following(plan: Plan, day: date) -> date:
    """The first occurrence after ``day``, even past the plan's end (a plan whose last
    occurrence is paid keeps a ``next_due`` after ``ends``: nothing more is open)."""
    return occurrence(plan, index_from(plan, day + timedelta(days=1)))
