"""``/api/v1/analytics``: monthly totals and the split by category, for the dashboard."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from api.analytics import queries
from api.currencies.queries import base_currency
from api.database import pool
from api.errors import Problem
from api.openapi import problem_responses
from api.params import DateFrom, DateTo, QueryId, reject_reversed
from api.periods import day_range, month_range, split_range
from api.tags import queries as tag_queries
from api.tags import rollup as tag_rollup
from wire.analytics import CategoryAnalytics, CategoryTotal, MonthlyAnalytics, MonthTotal
from wire.tags import TagAnalytics, TagTotal

ZERO = Decimal("0.00")


def today() -> date:
    return datetime.now(UTC).date()


def shares(totals: list[Decimal]) -> list[float]:
    """Each positive total's fraction of the sum of the positive totals; 0 for the rest.

    Refunds can leave a category's net total at or below zero: it has no share of
    the spending, and the other shares still sum to 1. The last positive share
    absorbs the rounding of the others, so summing the list in order gives exactly
    1.0 in floating point whenever any total is positive; it is clamped to [0, 1].
    """
    positive = [index for index, total in enumerate(totals) if total > 0]
    result = [0.0] * len(totals)
    if not positive:
        return result
    grand = sum((totals[index] for index in positive), ZERO)
    for index in positive[:-1]:
        result[index] = float(totals[index] / grand)
    result[positive[-1]] = min(1.0, max(0.0, 1.0 - sum(result)))
    return result


class AnalyticsController(Controller):
    path = "/api/v1/analytics"
    tags = ["analytics"]

    @get(
        "/monthly",
        operation_id="getMonthlyTotals",
        summary="Totals per month",
        description=(
            "Every month from `from` to `to` (inclusive, `YYYY-MM`; by default the 12 "
            "months up to the current one, UTC), oldest first, months without "
            "expenses included with total 0.00. At most 1200 months. `category_id` "
            "restricts the totals to one of your categories (404 if it is not yours)."
        ),
        responses=problem_responses(404, 422),
    )
    async def monthly(
        self,
        user_id: NamedDependency[int],
        month_from: Annotated[
            str | None, QueryParameter(name="from", description="First month (YYYY-MM)")
        ] = None,
        month_to: Annotated[
            str | None, QueryParameter(name="to", description="Last month (YYYY-MM)")
        ] = None,
        category_id: QueryId = None,
    ) -> MonthlyAnalytics:
        first, last = month_range(month_from, month_to, today())
        result = await queries.monthly(user_id, first, last, category_id)
        if not result.category_found:
            raise Problem(404, "No such category.")
        return MonthlyAnalytics(
            currency=result.currency,
            months=[MonthTotal(row.month, row.total, row.count) for row in result.months],
            unconverted=sum(row.unconverted for row in result.months),
        )

    @get(
        "/categories",
        operation_id="getCategoryTotals",
        summary="Totals per category",
        description=(
            "Spending per category between `from` and `to` (inclusive dates; by "
            "default the current month, UTC: a missing `from` is the first day of "
            "`to`'s month, a missing `to` the last day of the current month or of "
            "`from`'s month if that is later), largest total first, ties by name; "
            "only categories with expenses in the range. `total` is net of refunds "
            "(negative amounts). `share` is the category's fraction of the sum of the "
            "positive category totals (unrounded); a category whose net total is 0 or "
            "less has share 0; the shares sum to 1 whenever any total is positive."
        ),
        responses=problem_responses(422),
    )
    async def categories(
        self,
        user_id: NamedDependency[int],
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> CategoryAnalytics:
        first, last = day_range(date_from, date_to, today())
        result = await queries.per_category(user_id, split_range(first, last))
        rows = result.categories
        fractions = shares([row.total for row in rows])
        return CategoryAnalytics(
            currency=result.currency,
            total=sum((row.total for row in rows), ZERO),
            categories=[
                CategoryTotal(row.category_id, row.name, row.color, row.total, row.count, share)
                for row, share in zip(rows, fractions, strict=True)
            ],
            unconverted=result.unconverted,
        )

    @get(
        "/tags",
        operation_id="getTagTotals",
        summary="Totals per tag",
        description=(
            "Net total (refunds included) and count per tag of the expenses between "
            "`from` and `to` (inclusive dates; either may be omitted for no bound), by "
            "name; an expense counts under each of its tags, so the totals may sum to "
            "more than the spending."
        ),
        responses=problem_responses(422),
    )
    async def tag_totals(
        self,
        user_id: NamedDependency[int],
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> TagAnalytics:
        """Whole months from the per-tag rollup (m0026), the edge months from rows;
        the unconverted count from the rows waiting for a rate (an index of them):
        an expense with two tags is one, which no per-tag sum can tell."""
        reject_reversed(date_from, date_to)
        async with pool().acquire() as conn:
            currency = await base_currency(conn, user_id)
            rows = await tag_rollup.totals(conn, user_id, date_from, date_to)
            waiting = await tag_queries.unconverted(conn, user_id, date_from, date_to)
        return TagAnalytics(
            currency=currency or "USD",
            tags=[TagTotal(row.name, row.total, row.count) for row in rows],
            unconverted=waiting,
        )
