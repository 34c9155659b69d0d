from decimal import Decimal

from piccolo.columns import (
    Array,
    BigSerial,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    OnDelete,
    Varchar,
)
from piccolo.table import Table

from api.auth.tables import User
from api.categories.tables import Category


class Recurring(Table, tablename="recurring"):
    """An expense expected every ``interval`` weeks, months or years.

    Occurrences are ``anchor`` + n periods (n ≥ 0), so a monthly one anchored on
    the 31st falls on the last day of shorter months without drifting. ``next_due``
    is the first occurrence not yet paid; ``anchor`` moves with it whenever the
    client sets ``next_due``. Nothing is posted automatically: an expense is linked
    to an occurrence (``expense.recurring_id``/``recurring_due``) when it matches.
    Invariants (CHECKs in migration m0019): amount > 0, ``every`` in week/month/year,
    interval 1-366, tolerances within their ranges, ``ends`` not before ``anchor``.
    A category with recurring expenses cannot be deleted unless they move with its
    expenses (``reassign_to``).
    """

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True, null=False)
    description = Varchar(length=500)
    amount = Numeric(digits=(12, 2), default=Decimal("0.00"))
    currency = Varchar(length=3)
    category_id = ForeignKey(
        references=Category, on_delete=OnDelete.restrict, null=False, index=False
    )
    tags = Array(base_column=Varchar(length=40))
    every = Varchar(length=5, default="month")
    interval = Integer(default=1)
    anchor = Date()
    next_due = Date()
    ends = Date(null=True, default=None)
    amount_tolerance = Numeric(digits=(5, 4), default=Decimal("0.1000"))
    day_tolerance = Integer(default=3)
    # The amount before the last match changed it, shown on the next occurrence.
    previous_amount = Numeric(digits=(12, 2), null=True, default=None)
    version = Integer(default=1)


class CalendarToken(Table, tablename="calendar_token"):
    """The secret of a user's calendar feed URL: a public ``selector`` finds the row,
    and only the SHA-256 of the ``verifier`` is kept, compared in constant time."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, unique=True, null=False)
    selector = Varchar(length=32, unique=True)
    verifier_hash = Varchar(length=64)
