"""What a create pays for the monthly rollup: its delta row, and no more.

Measured with 32 connections creating into one user's one bucket (``make bench``,
"writers in one bucket"), the rollup cost 0.82-0.93x the throughput of the same
INSERT without it. PostgreSQL's own time per single-row INSERT, in a server-side
loop: 86-121 us without the rollup, 140-182 us with it. Two parts of that were not
the delta row itself:

- **The split branch.** The statement-level trigger summed the inserted rows' lines
  as one query: the whole expenses UNION ALL the parts of the split ones (through
  ``split_lines``). Setting up the split branch cost ~35 us on every insert, though
  few expenses are split. The statement trigger now sums the unsplit rows only;
  a row-level trigger whose ``WHEN`` only split rows pass
  (``expense_rollup_split_after_insert``) adds the parts of each split one. A
  ``WHEN`` that is false costs the executor a test and no function call.
- **The foreign key on ``user_id``.** Every delta row checked, and key-share locked,
  its account, although the expense inserted by the same statement had just done
  both: a query per row, and a lock on a row all 32 writers hold at once (a shared
  multixact). Dropping it closed as much of the gap as the split branch did. The
  key is dropped; what it gave is kept:
  - an account's deletion removes its rows (``app_user_rollup_cleanup``, after the
    cascades, with a snapshot taken after any write it waited for);
  - no row is written for an account being deleted: an expense's write holds its
    account (its own key, or the row lock of an expense that the deletion's
    cascade must wait for), the delete triggers write no row for a gone account
    (m0022's EXISTS guard), and the fold key-share locks each owner first.

Measured the same way, with 3 runs each: as before 0.86x (0.83-0.91), with both
changes 0.99x (0.93-1.03). The rollup stays exact: ``tests/api/test_analytics_rollups.py``.
"""

from migrations import raw_sql
from migrations.m0022_rollup_deltas_sql import (
    FORWARDS as DELTA_FORWARDS,
)
from migrations.m0022_rollup_deltas_sql import (
    _add_rows,
    _bucket_sums,
    _part_lines,
    _whole_lines,
)

ID = "2026-11-27T19:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a create pays only for its rollup delta row: split parts per row, no user key"

_USER_KEY = "expense_monthly_rollup_user_id_fkey"

FORWARDS = [
    "CREATE OR REPLACE FUNCTION expense_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$"
    + _add_rows(_bucket_sums("new_rows", lines=_whole_lines)),
    "CREATE FUNCTION expense_rollup_add_split() RETURNS trigger LANGUAGE plpgsql AS $$"
    + _add_rows(_bucket_sums("(SELECT NEW.*)", lines=_part_lines)),
    "CREATE TRIGGER expense_rollup_split_after_insert AFTER INSERT ON expense FOR EACH ROW "
    "WHEN (NEW.split_amounts IS NOT NULL AND NEW.deleted_at IS NULL) "
    "EXECUTE FUNCTION expense_rollup_add_split()",
    f"ALTER TABLE expense_monthly_rollup DROP CONSTRAINT {_USER_KEY}",
    """
    CREATE FUNCTION app_user_rollup_cleanup() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM expense_monthly_rollup r USING old_rows o WHERE r.user_id = o.id;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER app_user_rollup_cleanup AFTER DELETE ON app_user "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "
    "app_user_rollup_cleanup()",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS app_user_rollup_cleanup ON app_user",
    "DROP FUNCTION IF EXISTS app_user_rollup_cleanup()",
    "DELETE FROM expense_monthly_rollup r "
    "WHERE NOT EXISTS (SELECT 1 FROM app_user u WHERE u.id = r.user_id)",
    f"ALTER TABLE expense_monthly_rollup ADD CONSTRAINT {_USER_KEY} FOREIGN KEY (user_id) "
    "REFERENCES app_user (id) ON UPDATE CASCADE ON DELETE CASCADE",
    "DROP TRIGGER IF EXISTS expense_rollup_split_after_insert ON expense",
    "DROP FUNCTION IF EXISTS expense_rollup_add_split()",
    *[statement for statement in DELTA_FORWARDS if "FUNCTION expense_rollup_add()" in statement],
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
