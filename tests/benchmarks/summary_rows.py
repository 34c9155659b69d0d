"""The summary under load with date and category filters, beside the plain aggregate.

The plain aggregate is the summary's own SQL over every matching row
(``summary.plain``, what the route ran before the rollup): the rollup's answer must
be at least ten times as fast for dates, categories and one tag, and the filters it cannot
answer (text here) must stay as fast as that SQL.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from urllib.parse import urlencode

from api.expenses import summary
from api.expenses.filters import ExpenseFilters
from api.periods import month_index, month_start
from tests.benchmarks.load import Throughput
from tests.benchmarks.report import Row

PLAIN = "plain aggregate via asyncpg"


async def summary_rows(
    uid: int,
    category_id: int,
    today: date,
    years: int,
    load: Callable[[str], Throughput],
    db: Callable[[Callable], Awaitable[Throughput]],
    versus: Callable[..., Row],
) -> list[Row]:
    """Rows: date range (mid-month to today), category, both, a text filter, a tag."""
    months = 12 * (years - 1)
    # Mid-month to today: both edges are partial months, read from rows.
    first = month_start(month_index(today) - months).replace(day=10)
    measures = [
        (f"summary, date range ({months} months)", ExpenseFilters(date_from=first, date_to=today),
         {"from": first, "to": today}, 10.0),
        ("summary, category", ExpenseFilters(category_id=category_id),
         {"category_id": category_id}, 10.0),
        (f"summary, date range and category ({months} months)",
         ExpenseFilters(date_from=first, date_to=today, category_id=category_id),
         {"from": first, "to": today, "category_id": category_id}, 10.0),
        ("summary, text filter", ExpenseFilters(text="Coffee"), {"q": "Coffee"}, 0.9),
        # The tag rollup (m0026); the dataset tags ~30% of the heavy user's expenses.
        ("summary, tag", ExpenseFilters(tags=("Trip",)), {"tag": "Trip"}, 10.0),
    ]  # fmt: skip
    rows = []
    for name, filters, query, target in measures:
        result = load(f"/api/v1/expenses/summary?{urlencode(query)}")
        plain = await db(lambda c, filters=filters: summary.plain(c, uid, filters))
        rows.append(versus(name, result, PLAIN, plain, target))
    return rows
