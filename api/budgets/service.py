"""The budget arithmetic of the contract, on the sums one SQL statement returns."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import asyncpg

from api.budgets import queries
from api.periods import month_index
from wire.budgets import BudgetLine, BudgetStatus
from wire.validation import CENT, month_text

ZERO = Decimal("0.00")
ALL_SPENDING = "All spending"


def projected(spent: Decimal, month: date, today: date) -> Decimal:
    """Spent ÷ elapsed days (today included) x days in the month, for today's month;
    ``spent`` itself for any other month (a past one is complete, a future one has
    no days elapsed to extrapolate from)."""
    if (month.year, month.month) != (today.year, today.month):
        return spent
    days = calendar.monthrange(month.year, month.month)[1]
    return (spent / today.day * days).quantize(CENT, rounding=ROUND_HALF_EVEN)


def carried(row: queries.StatusRow, month: date) -> Decimal:
    """With rollover, Σ (limit - spent) over the months from ``starts`` to the month
    before; the limit is the budget's current one for every month."""
    if not row.rollover:
        return ZERO
    months = month_index(month) - month_index(row.starts)
    return (row.limit * months - row.spent_before).quantize(CENT)


async def status(conn: asyncpg.Connection, user_id: int, month: date, today: date) -> BudgetStatus:
    """Every budget in force in ``month`` (its first day); ``today`` drives the projection."""
    found = await queries.status_rows(conn, user_id, month)
    lines = []
    for row in found.rows:
        spent = Decimal(row.spent).quantize(CENT)
        carry = carried(row, month)
        available = row.limit + carry
        lines.append(
            BudgetLine(
                budget_id=row.budget_id,
                category_id=row.category_id,
                name=ALL_SPENDING if row.name is None else row.name,
                limit=row.limit,
                carried=carry,
                available=available,
                spent=spent,
                remaining=available - spent,
                projected=projected(spent, month, today),
            )
        )
    return BudgetStatus(
        currency=found.currency,
        month=month_text(month),
        budgets=lines,
        unconverted=found.unconverted,
    )
