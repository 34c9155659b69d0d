"""The window's money and tags glue: base currency, "not converted", tag completion.

Kept out of ``main_window.py``: it listens to the window's signals and fills the
filter bar's currency list and tag completion, says in the status bar how many
expenses the totals leave out, and answers the dashboard's "N not converted" badge.
The badge lists exactly the expenses its count is about: the API's
``unconverted=true`` filter, the currency list's "Not converted yet" entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def show_unconverted(window: MainWindow, _count: int) -> None:
    """The badge: the expenses of the dashboard's range that are waiting for a rate."""
    window.show_view(EXPENSES)
    window.filters.show_unconverted()
