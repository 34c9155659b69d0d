from __future__ import annotations

from decimal import Decimal

import msgspec


class MonthTotal(msgspec.Struct):
    month: str  # YYYY-MM
    total: Decimal
    count: int


class MonthlyAnalytics(msgspec.Struct):
    currency: str
    months: list[MonthTotal]
    # Expenses of the request left out of the totals for want of a rate.
    unconverted: int = 0


class CategoryTotal(msgspec.Struct):
    category_id: int
    name: str
    color: str
    total: Decimal
    count: int
    share: float


class CategoryAnalytics(msgspec.Struct):
    currency: str
    total: Decimal
    categories: list[CategoryTotal]
    unconverted: int = 0
