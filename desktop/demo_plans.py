"""The demo's budgets and subscriptions, made through the API after the CSV seed.

Budgets: all spending, Food with rollover (overspent most months, so it carries a
deficit and shows red), Bills, Transport and Entertainment. Four subscriptions:
Netflix and the gym (their history is in the CSV), a cloud plan left unpaid (the
Upcoming panel's overdue row), and Spotify, whose latest payment costs more than
the plan said — the plan takes the new price and shows the old one beside it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from desktop.client import ApiClient
from desktop.filters import add_months, month_start
from wire.budgets import BudgetCreate
from wire.recurring import RecurringCreate

BUDGETS = (  # category (None: all spending), monthly limit, rollover
    (None, "4200", False),
    ("Food", "950", True),
    ("Bills", "1700", False),
    ("Transport", "150", False),
    ("Entertainment", "120", True),
)


def next_on(today: date, day: int) -> date:
    """The next ``day`` of a month, today or later."""
    this = today.replace(day=day)
    return this if this >= today else add_months(month_start(today), 1).replace(day=day)


def seed_plans(client: ApiClient, today: date) -> None:
    categories = {c.name: c.id for c in client.categories()}
    starts = add_months(month_start(today), -3).strftime("%Y-%m")
    for name, limit, rollover in BUDGETS:
        category = categories[name] if name else None
        client.create_budget(BudgetCreate(limit, category, rollover, starts))
    fun, health = categories["Entertainment"], categories["Health"]
    for description, amount, category, due in (
        ("Netflix", "15.49", fun, next_on(today, 7)),  # the CSV pays it on the 7th
        ("Gym membership", "39.00", health, next_on(today, 2)),
        ("Cloud storage", "2.99", categories["Other"], today - timedelta(days=4)),
    ):
        client.create_recurring(RecurringCreate(description, amount, category, due))
    paid = today - timedelta(days=3)
    spotify = RecurringCreate("Spotify", "10.99", fun, paid)
    client.create_recurring(spotify)
    # The price went up: the payment matches (within 10 %) and the plan follows it.
    client.create_expense(
        {"amount": Decimal("11.99"), "category_id": fun, "spent_on": paid,
         "description": "Spotify Premium", "notes": ""}
    )  # fmt: skip
