"""Negative amounts are refunds: the amount CHECK refuses only zero and the oversized.

Raw SQL runs before a migration's own tables and columns are created, hence a
migration of its own after m0010. The rollup triggers need no change: they add and
subtract ``amount`` whatever its sign, and purging a refunded expense sets its
refunds' ``refund_of`` to NULL through an UPDATE that moves no money.
"""

from migrations import raw_sql

ID = "2026-11-27T02:42:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "amounts may be negative (refunds), never zero"

FORWARDS = [
    "ALTER TABLE expense DROP CONSTRAINT expense_amount_positive, "
    "ADD CONSTRAINT expense_amount_nonzero "
    "CHECK (amount <> 0 AND abs(amount) <= 999999999.99)",
]

BACKWARDS = [
    # The old CHECK cannot hold while refunds exist; they go with it.
    "DELETE FROM expense WHERE amount < 0",
    "ALTER TABLE expense DROP CONSTRAINT expense_amount_nonzero, "
    "ADD CONSTRAINT expense_amount_positive CHECK (amount > 0 AND amount <= 999999999.99)",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
