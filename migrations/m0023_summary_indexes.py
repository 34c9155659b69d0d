"""Indexes for the summary read from rollups: min and max by amount, and the splits.

The summary's count and total come from ``expense_monthly_rollup``; what a rollup
cannot hold is read through these (api/expenses/summary.py):

- min and max of the base amount: the first entry of ``(user_id, base_amount)`` in
  the date range, found in index order. ``spent_on``, ``category_id`` and
  ``currency`` are included so that the filters read the index alone. Split
  expenses are left out: restricted to a category their money is the sum of
  their parts there, not their base amount, and they are taken from the index below.
- the list's index by day (m0020) includes ``currency`` too: the partial months at
  a range's edges are summed from it, and the rollup answers a currency filter now.
- split expenses by day: a category's count and money need their parts; splits
  are rare, so this index stays small and its rows are read in full.
- the rollup's bucket index (m0022) includes the sums: a summary over 5 years
  sums ~400 bucket rows, and from the heap (rows moved by every fold) that was
  most of its time; the analytics and budget reads gain the same.
"""

from migrations import raw_sql

ID = "2026-11-27T07:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "summary indexes: base amount order, split expenses, covering rollup sums"

FORWARDS = [
    "CREATE INDEX expense_user_base_amount_idx ON expense (user_id, base_amount) "
    "INCLUDE (spent_on, category_id, currency) "
    "WHERE deleted_at IS NULL AND split_amounts IS NULL",
    # The edges' rows by day, filtered by currency too, from the index alone.
    "DROP INDEX expense_user_spent_on_id_idx",
    "CREATE INDEX expense_user_spent_on_id_idx ON expense (user_id, spent_on DESC, id DESC) "
    "INCLUDE (amount, base_amount, category_id, currency) WHERE deleted_at IS NULL",
    "CREATE INDEX expense_user_split_spent_on_idx ON expense (user_id, spent_on) "
    "WHERE deleted_at IS NULL AND split_amounts IS NOT NULL",
    # The rollup's sums read from its index alone (m0022's key, plus the sums).
    "DROP INDEX expense_monthly_rollup_bucket_idx",
    "CREATE INDEX expense_monthly_rollup_bucket_idx ON expense_monthly_rollup "
    "(user_id, month, category_id, currency) INCLUDE (total, count, expenses, unconverted)",
]

BACKWARDS = [
    "DROP INDEX expense_monthly_rollup_bucket_idx",
    "CREATE INDEX expense_monthly_rollup_bucket_idx ON expense_monthly_rollup "
    "(user_id, month, category_id, currency)",
    "DROP INDEX expense_user_spent_on_id_idx",
    "CREATE INDEX expense_user_spent_on_id_idx ON expense (user_id, spent_on DESC, id DESC) "
    "INCLUDE (amount, base_amount, category_id) WHERE deleted_at IS NULL",
    "DROP INDEX IF EXISTS expense_user_split_spent_on_idx",
    "DROP INDEX IF EXISTS expense_user_base_amount_idx",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
