from decimal import Decimal

from piccolo.columns import BigSerial, Boolean, Date, ForeignKey, Integer, Numeric, OnDelete
from piccolo.constraints import Unique
from piccolo.table import Table

from api.auth.tables import User
from api.categories.tables import Category


class Budget(Table, tablename="budget"):
    """A monthly spending limit, in the user's base currency, from ``starts`` on.

    Invariants (CHECKs in migration m0019): ``amount`` is > 0 and at most
    999999999.99; ``starts`` is the first day of a month. At most one budget per
    category and one for all spending (``category_id`` NULL): the unique pair below
    treats NULLs as equal. A budget goes with its category (a limit on nothing).
    """

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=False, null=False)
    category_id = ForeignKey(
        references=Category, on_delete=OnDelete.cascade, null=True, default=None, index=False
    )
    amount = Numeric(digits=(12, 2), default=Decimal("0.00"))
    rollover = Boolean(default=False)
    starts = Date()
    version = Integer(default=1)

    one_budget_per_category = Unique([user_id, category_id], nulls_distinct=False)
