"""Budgets and recurring expenses: their CHECKs, and one expense per occurrence.

Raw SQL runs before a migration's own tables are created, hence a migration of its
own after m0018.
"""

from migrations import raw_sql

ID = "2026-11-27T05:21:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "budget and recurring checks; an occurrence is paid once"

FORWARDS = [
    # wire.validation's rules as the last word (limits and recurring amounts stay > 0).
    "ALTER TABLE budget ADD CONSTRAINT budget_amount_positive "
    "CHECK (amount > 0 AND amount <= 999999999.99), "
    "ADD CONSTRAINT budget_starts_first_of_month "
    "CHECK (starts = date_trunc('month', starts)::date)",
    "ALTER TABLE recurring ADD CONSTRAINT recurring_amount_positive "
    "CHECK (amount > 0 AND amount <= 999999999.99), "
    "ADD CONSTRAINT recurring_every_known CHECK (every IN ('week', 'month', 'year')), "
    'ADD CONSTRAINT recurring_interval_range CHECK ("interval" BETWEEN 1 AND 366), '
    "ADD CONSTRAINT recurring_tolerances CHECK (amount_tolerance BETWEEN 0 AND 1 "
    "AND day_tolerance BETWEEN 0 AND 366), "
    "ADD CONSTRAINT recurring_ends_after_anchor CHECK (ends IS NULL OR ends >= anchor), "
    "ADD CONSTRAINT recurring_next_due_on_anchor CHECK (next_due >= anchor)",
    # An occurrence is paid by at most one live expense (and an expense, being one
    # row, pays at most one occurrence); the index also finds the paid occurrences.
    # A payment in the trash pays nothing: the occurrence is due again.
    "CREATE UNIQUE INDEX expense_recurring_occurrence_key "
    "ON expense (recurring_id, recurring_due) WHERE recurring_id IS NOT NULL "
    "AND deleted_at IS NULL",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS expense_recurring_occurrence_key",
    "ALTER TABLE recurring DROP CONSTRAINT IF EXISTS recurring_amount_positive, "
    "DROP CONSTRAINT IF EXISTS recurring_every_known, "
    "DROP CONSTRAINT IF EXISTS recurring_interval_range, "
    "DROP CONSTRAINT IF EXISTS recurring_tolerances, "
    "DROP CONSTRAINT IF EXISTS recurring_ends_after_anchor, "
    "DROP CONSTRAINT IF EXISTS recurring_next_due_on_anchor",
    "ALTER TABLE budget DROP CONSTRAINT IF EXISTS budget_amount_positive, "
    "DROP CONSTRAINT IF EXISTS budget_starts_first_of_month",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
