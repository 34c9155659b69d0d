"""Recurring expenses found in the history: the same description (normalised) and
category, at least 3 times at a regular weekly, monthly or yearly interval, amounts
within 10 % of the latest. Pure below :func:`suggest`; one query feeds it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import asyncpg

from api.recurring import matching, schedule
from api.recurring.queries import PLANS_WITH_PAID
from wire.recurring import DEFAULT_DAY_TOLERANCE, Suggestion

MIN_EXPENSES = 3
AMOUNT_SPREAD = Decimal("0.10")
# Tried in this order; the first whose step fits the last two payments is the period.
PERIODS = (
    ("week", 1),
    ("week", 2),
    ("month", 1),
    ("month", 2),
    ("month", 3),
    ("month", 6),
    ("year", 1),
)
# Three yearly payments and a little: older history cannot start a run that is still live.
HISTORY_DAYS = 3 * 366 + 31

# Live, unlinked, positive expenses grouped by normalised description, category and
# currency; the groups of at least three, each in date order.
_GROUPS = """
SELECT (array_agg(description ORDER BY spent_on DESC, id DESC))[1] AS description,
       category_id, currency,
       array_agg(id ORDER BY spent_on, id) AS ids,
       array_agg(spent_on ORDER BY spent_on, id) AS days,
       array_agg(amount ORDER BY spent_on, id) AS amounts
FROM expense
WHERE user_id = $1 AND deleted_at IS NULL AND recurring_id IS NULL AND amount > 0
  AND description <> '' AND spent_on >= $2
GROUP BY lower(regexp_replace(btrim(description), '\\s+', ' ', 'g')), category_id, currency
HAVING count(*) >= 3
"""


@dataclass(frozen=True, slots=True)
class Group:
    description: str
    category_id: int
    currency: str
    ids: list[int]
    days: list[date]
    amounts: list[Decimal]


def _fits(previous: date, day: date, every: str, interval: int) -> bool:
    step = schedule.occurrence(schedule.Plan(previous, every, interval), 1)
    return abs((day - step).days) <= DEFAULT_DAY_TOLERANCE


def regular_run(group: Group) -> tuple[str, int, int] | None:
    """(every, interval, start) of the longest regular run that ends with the latest
    expense, when it is long enough and its amounts agree; else ``None``."""
    days = group.days
    last = len(days) - 1
    for every, interval in PERIODS:
        if not _fits(days[last - 1], days[last], every, interval):
            continue
        start = last - 1
        while start > 0 and _fits(days[start - 1], days[start], every, interval):
            start -= 1
        if last - start + 1 < MIN_EXPENSES:
            return None
        latest = group.amounts[last]
        if any(abs(a - latest) > latest * AMOUNT_SPREAD for a in group.amounts[start:]):
            return None
        return every, interval, start
    return None


def suggest(groups: list[Group], plans: list[matching.PlanState], today: date) -> list[Suggestion]:
    found = []
    for group in groups:
        run = regular_run(group)
        if run is None:
            continue
        every, interval, start = run
        last_day, amount = group.days[-1], group.amounts[-1]
        next_due = schedule.occurrence(schedule.Plan(last_day, every, interval), 1)
        if next_due < schedule.add_days(today, -DEFAULT_DAY_TOLERANCE):
            continue  # it stopped: a payment is missing already
        probe = matching.Candidate(
            0, next_due, amount, group.currency, group.category_id, group.description
        )
        if any(matching.accepts(plan, probe) for plan in plans):
            continue  # a plan of the user's already expects it
        found.append(
            Suggestion(
                description=group.description,
                category_id=group.category_id,
                amount=amount,
                currency=group.currency,
                every=every,
                interval=interval,
                next_due=next_due,
                expense_ids=group.ids[start:],
            )
        )
    found.sort(key=lambda s: (s.next_due, s.description.casefold(), s.category_id))
    return found


async def suggestions(conn: asyncpg.Connection, user_id: int, today: date) -> list[Suggestion]:
    rows = await conn.fetch(_GROUPS, user_id, schedule.add_days(today, -HISTORY_DAYS))
    groups = [
        Group(r["description"], r["category_id"], r["currency"], r["ids"], r["days"], r["amounts"])
        for r in rows
    ]
    plans = [matching.plan_state(row) for row in await conn.fetch(PLANS_WITH_PAID, user_id, today)]
    return suggest(groups, plans, today)
