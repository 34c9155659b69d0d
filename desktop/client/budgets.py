"""Budgets: the list, the month's status, and the writes (wire structs in and out).

The views change budgets through ``operations/budgets.py`` (undoable ``Op``s); the
direct writes here serve scripts such as the demo's seed.
"""

from __future__ import annotations

from desktop.client.http import API, Transport
from wire.budgets import Budget, BudgetCreate, BudgetList, BudgetStatus, BudgetUpdate


class BudgetCalls(Transport):
    def budgets(self) -> list[Budget]:
        return self._get(f"{API}/budgets", BudgetList).items

    def budget_status(self, month: str | None = None) -> BudgetStatus:
        """``month``: ``YYYY-MM``; ``None`` is the server's current month."""
        params = {"month": month} if month else {}
        return self._get(f"{API}/budgets/status", BudgetStatus, params=params)

    def create_budget(self, data: BudgetCreate) -> Budget:
        return self._json("POST", f"{API}/budgets", data, Budget)

    def update_budget(self, budget_id: int, data: BudgetUpdate) -> Budget:
        return self._json("PATCH", f"{API}/budgets/{budget_id}", data, Budget)
