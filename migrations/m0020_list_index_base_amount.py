"""The list's index covers the base amount too, for the totals in the base currency.

The summary (count, total, average, min, max) now sums ``base_amount``; with it in
the index's INCLUDE list, a user's summary reads the index alone, as it did when it
summed ``amount`` (m0007).
"""

from migrations import raw_sql

ID = "2026-11-27T05:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the list index includes base_amount"

FORWARDS = [
    "DROP INDEX expense_user_spent_on_id_idx",
    "CREATE INDEX expense_user_spent_on_id_idx ON expense (user_id, spent_on DESC, id DESC) "
    "INCLUDE (amount, base_amount, category_id) WHERE deleted_at IS NULL",
]

BACKWARDS = [
    "DROP INDEX expense_user_spent_on_id_idx",
    "CREATE INDEX expense_user_spent_on_id_idx ON expense (user_id, spent_on DESC, id DESC) "
    "INCLUDE (amount, category_id) WHERE deleted_at IS NULL",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
