"""The window's money and tags glue: base currency, "not converted", tag completion.

Kept out of ``main_window.py``: it listens to the window's signals and fills the
filter bar's currency list and tag completion, says in the status bar how many
expenses the totals leave out, and answers the dashboard's "N not converted" badge.

The API has no filter for "not converted" (issue 12 names none): the badge's list
uses ``currency=`` only when that gives exactly the unconverted expenses — one
currency holds them all and every expense of the range in it is unconverted, as
the summary of that currency proves. Otherwise the list shows the range and the
banner says how many rows lack a rate; those rows say "Not converted" on hover.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from desktop.client import ApiClient
from desktop.filters import ExpenseQuery
from desktop.operations import Changes
from desktop.views.main_actions import EXPENSES
from wire.auth import Profile
from wire.expenses import ExpenseSummary

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow


def install(window: MainWindow) -> None:
    window.signedIn.connect(lambda profile: _signed_in(window, profile))
    window.operations.executed.connect(lambda changes, _who: _executed(window, changes))
    window.dashboard.unconvertedClicked.connect(lambda count: show_unconverted(window, count))
    window.expenses.table.tagClicked.connect(lambda tag: _filter_by(window, tag))


def _filter_by(window: MainWindow, tag: str) -> None:
    """A chip in the table was clicked: its tag joins the tag filter (AND)."""
    window.filters.tags.set_tags([*window.filters.tags.tags(), tag])


def _executed(window: MainWindow, changes: int) -> None:
    if changes & (Changes.TAGS | Changes.EXPENSES):  # counts, names, new tags
        load_tags(window)


def _signed_in(window: MainWindow, profile: Profile) -> None:
    window.filters.set_currencies(profile.currency)


def load_tags(window: MainWindow) -> None:
    """The filter's completion: the user's tags (a cheap, unpaginated read)."""
    if window.session.profile is None:
        return
    client = window.session.client
    window.runner.submit(
        client.tags, window.filters.set_tags, lambda _error: None, channel="tag-names"
    )


def unconverted_note(summary: ExpenseSummary) -> str:
    """The status bar's word on expenses the total leaves out (no rate yet)."""
    if not summary.unconverted:
        return ""
    noun = "expense" if summary.unconverted == 1 else "expenses"
    return f" · {summary.unconverted:,} {noun} not converted"


def exact_currency(
    client: ApiClient, query: ExpenseQuery, candidates: set[str], unconverted: int
) -> str | None:
    """Worker: the one currency whose expenses are exactly the unconverted ones, if any."""
    holding = {}
    for currency in sorted(candidates):
        summary = client.summary(replace(query, currency=currency))
        if summary.unconverted:
            holding[currency] = summary
    if len(holding) != 1:
        return None
    currency, summary = next(iter(holding.items()))
    exact = summary.unconverted == unconverted and summary.count == summary.unconverted
    return currency if exact else None


def show_unconverted(window: MainWindow, count: int) -> None:
    """The badge: the expenses list, as close to "the unconverted ones" as the API allows."""
    shown_range = window.filters.query()  # the dashboard's counts are for the range alone
    query = ExpenseQuery(shown_range.date_from, shown_range.date_to)
    base = window.expenses.model.currency
    candidates = window.expenses.model.currencies() - {base}
    client = window.session.client
    window.show_view(EXPENSES)

    def shown(currency: str | None) -> None:
        window.filters.show_only(currency or "")
        if currency:
            return
        noun = "expense has" if count == 1 else "expenses have"
        window.banner.show_message(
            f"{count:,} {noun} no rate for their day yet and are left out of the totals; "
            "hover an amount to see. (The server cannot list only those.)"
        )

    window.runner.submit(
        lambda: exact_currency(client, query, candidates, count),
        shown,
        lambda error: window.show_error(error),
        channel="unconverted",
    )
