"""What the user is looking at: a date preset, a category, search text, tags, a currency.

The query object is immutable and hashable, so views can compare "is this result
still for what is on screen?" cheaply. Every filter is applied by the server.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta


class Preset(enum.StrEnum):
    THIS_MONTH = "This month"
    LAST_MONTH = "Last month"
    LAST_3_MONTHS = "Last 3 months"
    THIS_YEAR = "This year"
    LAST_YEAR = "Last year"
    ALL_TIME = "All time"
    CUSTOM = "Custom range"


def today() -> date:
    """The user's local date: "this month" is the month on the user's calendar."""
    return datetime.now().astimezone().date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return add_months(month_start(day), 1) - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """First-of-month arithmetic (``day`` must be the 1st)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def preset_range(preset: Preset, today: date) -> tuple[date | None, date | None]:
    """Inclusive ``(from, to)`` of a preset; ``None`` means open-ended."""
    first = month_start(today)
    match preset:
        case Preset.THIS_MONTH:
            return first, month_end(today)
        case Preset.LAST_MONTH:
            previous = add_months(first, -1)
            return previous, month_end(previous)
        case Preset.LAST_3_MONTHS:
            return add_months(first, -2), month_end(today)
        case Preset.THIS_YEAR:
            return date(today.year, 1, 1), date(today.year, 12, 31)
        case Preset.LAST_YEAR:
            return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        case _:
            return None, None


@dataclass(frozen=True, slots=True)
class ExpenseQuery:
    date_from: date | None = None
    date_to: date | None = None
    category_id: int | None = None
    text: str = ""
    tags: tuple[str, ...] = ()  # every one must be on the expense (the API's AND)
    currency: str = ""  # the expense's own currency; "" for any
    unconverted: bool = False  # only the expenses still waiting for a rate

    def params(self) -> dict[str, str | list[str]]:
        """Query parameters shared by the list, summary and export endpoints.

        ``tag`` is a list: httpx repeats the parameter, one per tag.
        """
        params: dict[str, str | list[str]] = {}
        if self.date_from:
            params["from"] = self.date_from.isoformat()
        if self.date_to:
            params["to"] = self.date_to.isoformat()
        if self.category_id is not None:
            params["category_id"] = str(self.category_id)
        if self.text.strip():
            params["q"] = self.text.strip()
        if self.tags:
            params["tag"] = list(self.tags)
        if self.currency:
            params["currency"] = self.currency
        if self.unconverted:
            params["unconverted"] = "true"
        return params

    def with_dates(self, date_from: date | None, date_to: date | None) -> ExpenseQuery:
        return replace(self, date_from=date_from, date_to=date_to)
