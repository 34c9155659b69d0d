"""Rules of recurring expenses that span queries: upcoming occurrences and posting one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg

from api.expenses import queries as expenses
from api.recurring import matching, schedule
from api.recurring.queries import plans_with_paid
from wire.expenses import Expense, ExpenseCreate
from wire.recurring import Occurrence, OccurrenceStatus

# A plan left unpaid for years would list every missed occurrence; the oldest
# beyond this many are left out (moving next_due forward clears them).
MAX_OVERDUE_PER_PLAN = 100


class NotAnOccurrence(ValueError):
    """The date is not an occurrence of the plan (or is past its end)."""


class AlreadyPaid(ValueError):
    """An expense already pays that occurrence."""


async def upcoming(
    conn: asyncpg.Connection, user_id: int, today: date, days: int
) -> list[Occurrence]:
    """Overdue occurrences first (due before ``today``, unpaid), then every occurrence
    due from ``today`` to ``today + days``, expected or paid, by due date then plan."""
    horizon = schedule.add_days(today, days)
    overdue: list[Occurrence] = []
    ahead: list[Occurrence] = []
    for row in await plans_with_paid(conn, user_id, today):
        plan = matching.plan_state(row)
        payments = zip(row["paid_ids"], row["paid_amounts"], strict=True)
        paid = dict(zip(row["paid_dues"], payments, strict=True))
        start = min(plan.next_due, today)
        # Only the last MAX_OVERDUE_PER_PLAN missed occurrences are listed: start
        # there, so a weekly plan left unpaid for decades costs no more than that.
        recent = schedule.index_from(plan.plan, today) - MAX_OVERDUE_PER_PLAN
        if recent > 0:
            start = max(start, schedule.occurrence(plan.plan, recent))
        first_open = start <= plan.next_due  # is next_due itself in the walk?
        late = []
        for due in schedule.occurrences(plan.plan, start, horizon):
            if due in paid:
                if due >= today:
                    expense_id, amount = paid[due]
                    ahead.append(_item(plan, due, amount, "paid", expense_id, None))
                continue
            if due < plan.next_due:
                continue  # before next_due and unpaid: skipped when next_due was moved
            previous = plan.previous_amount if first_open else None
            first_open = False
            if due < today:
                late.append(_item(plan, due, plan.amount, "overdue", None, previous))
            else:
                ahead.append(_item(plan, due, plan.amount, "expected", None, previous))
        overdue.extend(late[-MAX_OVERDUE_PER_PLAN:])
    overdue.sort(key=lambda item: (item.due, item.recurring_id))
    ahead.sort(key=lambda item: (item.due, item.recurring_id))
    return overdue + ahead


def _item(
    plan: matching.PlanState,
    due: date,
    amount: Decimal,
    status: OccurrenceStatus,
    expense_id: int | None,
    previous: Decimal | None,
) -> Occurrence:
    return Occurrence(
        recurring_id=plan.id,
        description=plan.description,
        due=due,
        amount=amount,
        currency=plan.currency,
        status=status,
        expense_id=expense_id,
        previous_amount=previous,
    )


_LOCK_PLAN = """
SELECT id, description, amount, currency, category_id, anchor, every, "interval", ends,
       next_due, amount_tolerance, day_tolerance, previous_amount, tags
FROM recurring WHERE id = $1 AND user_id = $2 FOR UPDATE
"""
_PAID_AFTER = (
    "SELECT recurring_due FROM expense WHERE recurring_id = $1 AND recurring_due >= $2"
    " AND deleted_at IS NULL"
)
_LINK_ONE = "UPDATE expense SET recurring_id = $2, recurring_due = $3 WHERE id = $1"


async def post_occurrence(
    conn: asyncpg.Connection, user_id: int, recurring_id: int, due: date
) -> Expense | None:
    """Record the occurrence ``due`` as an expense of the plan, linked to it; ``None``
    when the plan is not the user's. :class:`NotAnOccurrence`, :class:`AlreadyPaid`.
    In a transaction: the plan stays locked until the expense and the link commit."""
    row = await conn.fetchrow(_LOCK_PLAN, recurring_id, user_id)
    if row is None:
        return None
    plan = matching.plan_state(row)
    if not schedule.is_occurrence(plan.plan, due):
        raise NotAnOccurrence
    if await conn.fetchval(
        "SELECT true FROM expense WHERE recurring_id = $1 AND recurring_due = $2"
        " AND deleted_at IS NULL",
        plan.id,
        due,
    ):
        raise AlreadyPaid
    plan.paid.update(day for (day,) in await conn.fetch(_PAID_AFTER, plan.id, plan.next_due))
    data = ExpenseCreate(
        amount=plan.amount,
        category_id=plan.category_id,
        spent_on=due,
        description=plan.description,
        currency=plan.currency,
        tags=list(row["tags"] or []),
    )
    expense = await expenses.insert(conn, user_id, data)
    await conn.execute(_LINK_ONE, expense.id, plan.id, due)
    if due >= plan.next_due:
        matching.pay(plan, due, plan.amount)
        await matching.save_plans(conn, [plan])
    return await expenses.get(conn, user_id, expense.id)
