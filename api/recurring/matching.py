"""Linking expenses to the occurrences of recurring expenses they pay.

An expense pays an open occurrence (due on or after ``next_due``, within the plan,
not yet paid) of one of the user's plans when it is positive, in the same currency,
its amount within ``amount_tolerance`` of the plan's, its date within
``day_tolerance`` days of the due date, and it has the plan's category or a
description containing the plan's (case-insensitive). Expenses are taken in date
order (ties by id); each takes the closest due date among its candidates, ties by
the plan's id, then the earlier date. A paid occurrence is taken by nobody else,
and an expense is linked once (one column), so matching is deterministic and never
links twice. :func:`choose` decides, without a database; :func:`match_expenses`
reads, decides and writes in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import asyncpg
import msgspec

from api.recurring import schedule
from wire.expenses import Expense


@dataclass(slots=True)
class PlanState:
    id: int
    description: str
    amount: Decimal
    currency: str
    category_id: int
    plan: schedule.Plan
    next_due: date
    amount_tolerance: Decimal
    day_tolerance: int
    previous_amount: Decimal | None
    paid: set[date] = field(default_factory=set)  # paid dues on or after next_due
    changed: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    spent_on: date
    amount: Decimal
    currency: str
    category_id: int
    description: str


@dataclass(frozen=True, slots=True)
class Link:
    expense_id: int
    recurring_id: int
    due: date


def accepts(plan: PlanState, expense: Candidate) -> bool:
    """Everything but the date: currency, amount, and category or description."""
    return (
        expense.amount > 0
        and expense.currency == plan.currency
        and abs(expense.amount - plan.amount) <= plan.amount * plan.amount_tolerance
        and (
            expense.category_id == plan.category_id
            or plan.description.casefold() in expense.description.casefold()
        )
    )


def open_dues(plan: PlanState, around: date) -> list[date]:
    """The plan's open occurrences within its day tolerance of ``around``."""
    first = max(plan.next_due, schedule.add_days(around, -plan.day_tolerance))
    last = schedule.add_days(around, plan.day_tolerance)
    return [due for due in schedule.occurrences(plan.plan, first, last) if due not in plan.paid]


def pay(plan: PlanState, due: date, amount: Decimal) -> None:
    """Record the payment of ``due``: next_due skips every paid occurrence, and a new
    amount becomes the plan's (the old one is kept to show on the next occurrence)."""
    plan.paid.add(due)
    while plan.next_due in plan.paid:
        plan.next_due = schedule.following(plan.plan, plan.next_due)
    if amount != plan.amount:
        plan.previous_amount, plan.amount = plan.amount, amount
    else:
        plan.previous_amount = None  # paid at the plan's amount: nothing to point out
    plan.changed = True


def choose(expenses: list[Candidate], plans: list[PlanState]) -> list[Link]:
    """Which expense pays which occurrence; updates ``plans`` as payments land."""
    links = []
    for expense in sorted(expenses, key=lambda e: (e.spent_on, e.id)):
        best: tuple[int, int, date, PlanState] | None = None
        for plan in plans:
            if not accepts(plan, expense):
                continue
            for due in open_dues(plan, expense.spent_on):
                key = (abs((due - expense.spent_on).days), plan.id, due, plan)
                if best is None or key[:3] < best[:3]:
                    best = key
        if best is not None:
            _, _, due, plan = best
            pay(plan, due, expense.amount)
            links.append(Link(expense.id, plan.id, due))
    return links


# Plans that might take one of the expenses: a superset of choose()'s rule, which
# decides. The text test is SQL's lower(), which equals Python's casefold() on ASCII;
# a text with anything else passes here and is left to choose().
_TEXT = (
    "(r.category_id = {category} OR strpos(lower({text}), lower(r.description)) > 0"
    " OR {text} ~ '[^\\x01-\\x7F]' OR r.description ~ '[^\\x01-\\x7F]')"
)
# A plan ``r`` that might take the expense ``e``.
_MIGHT_TAKE = f"""r.user_id = e.user_id AND r.currency = e.currency
 AND abs(e.amount - r.amount) <= r.amount * r.amount_tolerance
 AND r.next_due <= e.spent_on + r.day_tolerance
 AND (r.ends IS NULL OR r.ends >= e.spent_on - r.day_tolerance)
 AND {_TEXT.format(category="e.category_id", text="e.description")}"""
_PROBE = f"""
SELECT DISTINCT r.id
FROM expense e
JOIN recurring r ON {_MIGHT_TAKE}
WHERE e.user_id = $1 AND e.id = ANY($2::bigint[]) AND e.deleted_at IS NULL
  AND e.recurring_id IS NULL AND e.amount > 0
ORDER BY r.id
"""
# For a statement that writes the expense ``e``: does some plan probably take it?
# The expense create asks it in its INSERT, saving the busiest write a round trip.
MIGHT_PAY_SQL = f"""(e.amount > 0 AND e.recurring_id IS NULL
 AND EXISTS (SELECT 1 FROM recurring r WHERE {_MIGHT_TAKE}))"""
_PLANS = """
SELECT id, description, amount, currency, category_id, anchor, every, "interval", ends,
       next_due, amount_tolerance, day_tolerance, previous_amount
FROM recurring WHERE user_id = $1 AND id = ANY($2::bigint[])
ORDER BY id FOR UPDATE
"""
_PAID = """
SELECT e.recurring_id, e.recurring_due FROM expense e JOIN recurring r ON r.id = e.recurring_id
WHERE e.recurring_id = ANY($1::bigint[]) AND e.recurring_due >= r.next_due
  AND e.deleted_at IS NULL
"""
# Only the expenses one of the probed plans ``$3`` might take, by everything but the
# amount: a payment changes a plan's amount as choose() goes (and only moves its
# next_due later), while its currency, category, description and ends stay. An
# import of 10,000 rows by a user with plans read and sorted all of them (85-490 ms
# on a loaded 2-core machine) to link a few hundred. The text test is _TEXT's but
# for a plan whose description is not ASCII: only those of ``$4`` (the plans whose
# casefold() is ASCII, 'Straße' -> 'strasse') may take an ASCII text; any other's
# casefold keeps a non-ASCII letter, which no ASCII text's casefold holds, so it
# needs a non-ASCII text. Under _TEXT, one plan named 'Geschäft' read every row.
_EXPENSES = """
SELECT id, spent_on, amount, currency, category_id, description FROM expense e
WHERE user_id = $1 AND id = ANY($2::bigint[]) AND deleted_at IS NULL
  AND recurring_id IS NULL AND amount > 0
  AND EXISTS (
    SELECT 1 FROM recurring r
    WHERE r.id = ANY($3::bigint[]) AND r.currency = e.currency
      AND r.next_due <= e.spent_on + r.day_tolerance
      AND (r.ends IS NULL OR r.ends >= e.spent_on - r.day_tolerance)
      AND (r.category_id = e.category_id
           OR strpos(lower(e.description), lower(r.description)) > 0
           OR e.description ~ '[^\\x01-\\x7F]'
           OR (r.description ~ '[^\\x01-\\x7F]' AND r.id = ANY($4::bigint[]))))
"""
# The (user_id, created_at, id) index of live expenses finds them.
_CREATED_NOW = """
SELECT coalesce(array_agg(id), '{}') FROM expense
WHERE user_id = $1 AND created_at = now() AND deleted_at IS NULL AND recurring_id IS NULL
"""
_LINK = """
UPDATE expense e SET recurring_id = l.recurring_id, recurring_due = l.due
FROM unnest($1::bigint[], $2::bigint[], $3::date[]) AS l(expense_id, recurring_id, due)
WHERE e.id = l.expense_id AND e.recurring_id IS NULL
"""
_ADVANCE = """
UPDATE recurring r SET next_due = a.next_due, amount = a.amount,
       previous_amount = a.previous_amount, version = r.version + 1
FROM unnest($1::bigint[], $2::date[], $3::numeric[], $4::numeric[])
     AS a(id, next_due, amount, previous_amount)
WHERE r.id = a.id
"""


def plan_state(row: asyncpg.Record) -> PlanState:
    return PlanState(
        id=row["id"],
        description=row["description"],
        amount=row["amount"],
        currency=row["currency"],
        category_id=row["category_id"],
        plan=schedule.Plan(row["anchor"], row["every"], row["interval"], row["ends"]),
        next_due=row["next_due"],
        amount_tolerance=row["amount_tolerance"],
        day_tolerance=row["day_tolerance"],
        previous_amount=row["previous_amount"],
    )


async def save_plans(conn: asyncpg.Connection, plans: list[PlanState]) -> None:
    changed = [plan for plan in plans if plan.changed]
    if changed:
        await conn.execute(
            _ADVANCE,
            [plan.id for plan in changed],
            [plan.next_due for plan in changed],
            [plan.amount for plan in changed],
            [plan.previous_amount for plan in changed],
        )


async def match_expenses(
    conn: asyncpg.Connection, user_id: int, expense_ids: list[int]
) -> list[Link]:
    """Link whichever of the user's ``expense_ids`` pay open occurrences; the links made.

    Runs in its own transaction (a savepoint inside the caller's): the plans are
    locked while they are read and advanced, so concurrent matches take turns.
    """
    if not expense_ids:
        return []
    plan_ids = [row["id"] for row in await conn.fetch(_PROBE, user_id, expense_ids)]
    if not plan_ids:
        return []
    try:
        async with conn.transaction():
            plans = [plan_state(row) for row in await conn.fetch(_PLANS, user_id, plan_ids)]
            by_id = {plan.id: plan for plan in plans}
            for row in await conn.fetch(_PAID, plan_ids):
                by_id[row["recurring_id"]].paid.add(row["recurring_due"])
            folds_to_ascii = [plan.id for plan in plans if plan.description.casefold().isascii()]
            expenses = [
                Candidate(*row)
                for row in await conn.fetch(
                    _EXPENSES, user_id, expense_ids, plan_ids, folds_to_ascii
                )
            ]
            links = choose(expenses, plans)
            if links:
                await conn.execute(
                    _LINK,
                    [link.expense_id for link in links],
                    [link.recurring_id for link in links],
                    [link.due for link in links],
                )
                await save_plans(conn, plans)
    except asyncpg.UniqueViolationError:
        # An occurrence paid by a concurrent write that this read could not see:
        # these expenses stay unlinked rather than pay it twice.
        return []
    return links


async def link_new_expense(
    conn: asyncpg.Connection, user_id: int, expense: Expense, might_pay: bool
) -> Expense:
    """For the expense create route: the new expense, linked when it pays an occurrence.

    ``might_pay`` is :data:`MIGHT_PAY_SQL` as the INSERT answered it: the busiest
    write of the API pays nothing more for plans unless one is a likely match.
    """
    if not might_pay:
        return expense
    links = await match_expenses(conn, user_id, [expense.id])
    return (
        msgspec.structs.replace(expense, recurring_id=links[0].recurring_id) if links else expense
    )


async def match_imported(
    conn: asyncpg.Connection, user_id: int, expense_ids: list[int]
) -> list[Link]:
    """For bulk writers (CSV and bank imports): match the expenses they created."""
    return await match_expenses(conn, user_id, expense_ids)


async def match_created_now(conn: asyncpg.Connection, user_id: int) -> list[Link]:
    """Match the expenses that the caller's transaction created (their ``created_at``
    is ``now()``, the transaction's start): for bulk writers that count, not collect,
    what they insert. Call it in that transaction."""
    ids = await conn.fetchval(_CREATED_NOW, user_id)
    return await match_expenses(conn, user_id, ids)
