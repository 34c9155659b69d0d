"""Typed client of the Expense Tracker HTTP API — the only package that knows HTTP.

Synchronous on purpose: calls run in ``QThreadPool`` workers (see ``workers.py``),
which keeps tests simple (pytest-qt's ``waitSignal`` and asyncio loops do not mix).

One module per responsibility: ``http`` (transport, tokens, errors), ``auth``,
``categories``, ``expenses`` (with CSV export and import), ``analytics``, ``rates``,
``tags``, ``imports`` (bank statements, rules, profiles), ``budgets`` and
``recurring``; ``ApiClient`` is all of them on one shared transport.
"""

from __future__ import annotations

from desktop.client.analytics import AnalyticsCalls
from desktop.client.auth import AuthCalls
from desktop.client.budgets import BudgetCalls
from desktop.client.categories import CategoryCalls
from desktop.client.expenses import FIRST_PAGE_SIZE, PAGE_SIZE, ExpenseCalls
from desktop.client.http import problem
from desktop.client.imports import ImportCalls
from desktop.client.rates import RateCalls
from desktop.client.recurring import RecurringCalls
from desktop.client.tags import TagCalls
from desktop.errors import ApiError, Cancelled, FieldProblem, NotSignedIn, ServerUnreachable

__all__ = [
    "FIRST_PAGE_SIZE",
    "PAGE_SIZE",
    "ApiClient",
    "ApiError",
    "Cancelled",
    "FieldProblem",
    "NotSignedIn",
    "ServerUnreachable",
    "problem",
]


class ApiClient(
    AuthCalls,
    CategoryCalls,
    ExpenseCalls,
    AnalyticsCalls,
    RateCalls,
    TagCalls,
    ImportCalls,
    BudgetCalls,
    RecurringCalls,
):
    """Every endpoint the desktop uses, returning ``wire`` structs."""
