from decimal import Decimal

from piccolo.columns import (
    BigInt,
    BigSerial,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    OnDelete,
    Varchar,
)
from piccolo.constraints import Unique
from piccolo.table import Table

from api.auth.tables import User
from api.expenses.tables import Expense


class Tag(Table, tablename="tag"):
    """A user's tag. Names are unique per user case-insensitively (the index on
    ``(user_id, lower(name))`` lives in migration m0013); the first spelling is kept.
    A tag exists only while some expense carries it: writes delete the orphans."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=False, null=False)
    name = Varchar(length=40)


class ExpenseTag(Table, tablename="expense_tag"):
    """An expense carries a tag; deleting either removes the link."""

    id = BigSerial(primary_key=True)
    expense_id = ForeignKey(references=Expense, on_delete=OnDelete.cascade, index=False, null=False)
    tag_id = ForeignKey(references=Tag, on_delete=OnDelete.cascade, index=True, null=False)

    # Also the index that finds an expense's tags (expense_id first).
    one_link_per_tag = Unique([expense_id, tag_id])


class ExpenseTagRollup(Table, tablename="expense_tag_rollup"):
    """Per user, tag, month and currency: sums kept by triggers on ``expense`` and
    ``expense_tag`` (m0026), as ``ExpenseMonthlyRollup`` is by category.

    The rows are deltas, summed by readers and folded by ``api.rollups``. An expense
    counts under each of its tags with its whole base amount (a split too). No
    foreign key on ``tag_id``: a delta row must not lock its tag (the reason
    m0022 gives for ``category_id``); a deleted tag's links are removed first, so
    its buckets sum to zero and the fold drops them.
    """

    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=False, null=False)
    tag_id = BigInt()
    month = Date()
    currency = Varchar(length=3)  # the expenses' own currency, for the currency filter
    total = Numeric(digits=(22, 2), default=Decimal("0.00"))  # base currency, converted only
    count = Integer(default=0)  # expenses
    unconverted = Integer(default=0)  # expenses without a base amount yet
    folded = Boolean(default=False)  # written by the fold, not by a write
