from decimal import Decimal

from piccolo.columns import (
    Array,
    BigInt,
    BigSerial,
    Boolean,
    Bytea,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.constraints import Unique
from piccolo.table import Table

from api.auth.tables import User
from api.categories.tables import Category
from api.imports.tables import Import
from api.recurring.tables import Recurring


class Expense(Table, tablename="expense"):
    # The (user_id, spent_on DESC, id DESC) index that serves every list lives in a
    # raw migration: Piccolo cannot declare composite indexes.
    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=False, null=False)
    category_id = ForeignKey(references=Category, on_delete=OnDelete.restrict, null=False)
    amount = Numeric(digits=(12, 2), default=Decimal("0.00"))
    spent_on = Date()
    description = Varchar(length=500)
    notes = Varchar(length=2000)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    version = Integer(default=1)
    # Set while the expense is in the trash: it is then in no list, total, export
    # or rollup, and `expense-api prune` deletes it 30 days later.
    deleted_at = Timestamptz(null=True, default=None)
    # The positive expense this one refunds. Checked when written (routes), not by a
    # constraint: purging the refunded expense leaves the refund, unlinked.
    refund_of = ForeignKey(
        references="self", on_delete=OnDelete.set_null, null=True, default=None, index=True
    )
    # Money (m0015 has the rules): the currency of `amount`, and its value in the
    # owner's base currency, set by a database trigger from the day's rate unless
    # `settled` (then it is what the bank charged, as the user gave it).
    currency = Varchar(length=3)
    base_amount = Numeric(digits=(20, 2), null=True, default=None)
    rate = Numeric(null=True, default=None)
    settled = Boolean(default=False)
    # A split's parts, in order: two parallel arrays (see m0015 for why not rows).
    split_category_ids = Array(base_column=BigInt(), null=True, default=None)
    split_amounts = Array(base_column=Numeric(digits=(12, 2)), null=True, default=None)
    # Bank-file imports: the import that created the expense (undo finds it by this),
    # the account label and the bank's transaction id. (user_id, account, external_id)
    # is unique among rows with an external id, the trash included (m0017): a
    # re-import of a file finds every row it created before and creates nothing.
    import_id = ForeignKey(
        references=Import, on_delete=OnDelete.set_null, null=True, default=None, index=True
    )
    account = Varchar(length=100, null=True, default=None)
    external_id = Varchar(length=255, null=True, default=None)
    # The occurrence of a recurring expense this expense paid (api/recurring/matching.py);
    # unique per (recurring_id, recurring_due) by an index in migration m0019.
    recurring_id = ForeignKey(
        references=Recurring, on_delete=OnDelete.set_null, null=True, default=None, index=False
    )
    recurring_due = Date(null=True, default=None)


class ExpenseMonthlyRollup(Table, tablename="expense_monthly_rollup"):
    """Per user, month, category and currency: sums kept by triggers on ``expense``.

    The dashboard reads these instead of every expense row. The rows are deltas:
    each write adds rows in its own transaction (m0022), so concurrent writes to
    one bucket never wait on each other, and ``api.rollups`` folds a bucket's rows
    into one in the background. Always read them summed; never one row per bucket.
    """

    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=False, null=False)
    # Declared as Piccolo had it, but m0022_rollup_deltas_sql drops the constraint in
    # the database: a delta row must not lock its category (see that migration). A
    # trigger on category removes the rows instead. (Piccolo 1.38 cannot migrate a
    # ForeignKey to a plain column: alter_column fails building the old column.)
    category_id = ForeignKey(
        references=Category, on_delete=OnDelete.cascade, index=False, null=False
    )
    month = Date()
    currency = Varchar(length=3)  # the expenses' own currency, for the currency filter
    # In the base currency, over the converted lines (a split counts by part).
    total = Numeric(digits=(22, 2), default=Decimal("0.00"))
    count = Integer(default=0)  # lines: parts of split expenses count one each
    expenses = Integer(default=0)  # each expense once, in its first line's bucket
    unconverted = Integer(default=0)  # expenses without a base amount yet
    folded = Boolean(default=False)  # written by the fold, not by a write to expense


class ExpenseUserRollup(Table, tablename="expense_user_rollup"):
    """Per user and currency: the sum of the monthly rollup's *folded* rows (m0029).

    A summary of all history summed a monthly row per category and month, so its
    cost grew with the years of history; this row, plus the few delta rows not
    folded yet, gives the same numbers at a constant cost. Only ``api.rollups``'
    fold and the category cleanup trigger write it; unique per (user_id, currency).
    """

    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=False, null=False)
    currency = Varchar(length=3)
    total = Numeric(digits=(22, 2), default=Decimal("0.00"))
    count = Integer(default=0)
    expenses = Integer(default=0)
    unconverted = Integer(default=0)


class IdempotencyRecord(Table, tablename="idempotency_record"):
    """The first answer to a create with an ``Idempotency-Key``, replayed for 24 hours."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=False, null=False)
    key = Varchar(length=255)
    fingerprint = Varchar(length=64)
    status_code = Integer(null=True, default=None)
    response_body = Bytea(null=True, default=None)
    location = Text(null=True, default=None)
    created_at = Timestamptz()

    one_record_per_key = Unique([user_id, key])
