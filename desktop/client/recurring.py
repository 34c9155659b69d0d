"""Recurring expenses: the plans, the upcoming occurrences, suggestions from history.

As with budgets, the views write through ``operations/recurring.py``; the direct
writes serve scripts (the demo's seed).
"""

from __future__ import annotations

from datetime import date

from desktop.client.http import API, Transport
from wire.expenses import Expense
from wire.recurring import (
    PostOccurrence,
    Recurring,
    RecurringCreate,
    RecurringList,
    RecurringUpdate,
    Suggestion,
    SuggestionList,
    Upcoming,
)


class RecurringCalls(Transport):
    def recurring(self) -> list[Recurring]:
        return self._get(f"{API}/recurring", RecurringList).items

    def upcoming(self, days: int = 30) -> Upcoming:
        """Overdue occurrences first, then by due date (the server's order)."""
        return self._get(f"{API}/recurring/upcoming", Upcoming, params={"days": str(days)})

    def suggestions(self) -> list[Suggestion]:
        return self._get(f"{API}/recurring/suggestions", SuggestionList).items

    def create_recurring(self, data: RecurringCreate) -> Recurring:
        return self._json("POST", f"{API}/recurring", data, Recurring)

    def update_recurring(self, recurring_id: int, data: RecurringUpdate) -> Recurring:
        return self._json("PATCH", f"{API}/recurring/{recurring_id}", data, Recurring)

    def post_occurrence(self, recurring_id: int, due: date) -> Expense:
        path = f"{API}/recurring/{recurring_id}/post"
        return self._json("POST", path, PostOccurrence(due), Expense)
