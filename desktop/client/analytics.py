"""The dashboard's figures: monthly totals and the category breakdown."""

from __future__ import annotations

from datetime import date

from desktop.client.http import API, Transport
from wire.analytics import CategoryAnalytics, MonthlyAnalytics


class AnalyticsCalls(Transport):
    def monthly(
        self, first: str | None = None, last: str | None = None, category_id: int | None = None
    ) -> MonthlyAnalytics:
        params = {"from": first, "to": last, "category_id": category_id}
        clean = {k: str(v) for k, v in params.items() if v is not None}
        return self._get(f"{API}/analytics/monthly", MonthlyAnalytics, params=clean)

    def category_breakdown(self, first: date | None, last: date | None) -> CategoryAnalytics:
        params = {"from": first, "to": last}
        clean = {k: v.isoformat() for k, v in params.items() if v is not None}
        return self._get(f"{API}/analytics/categories", CategoryAnalytics, params=clean)
