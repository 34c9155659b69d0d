"""Rollup rows become deltas: a write adds rows, it never updates a shared one.

Until m0021 each write upserted its bucket's one row (``ON CONFLICT DO UPDATE``).
The row lock that takes is held until commit, so every create of one user in one
month and category queued behind the previous one's commit (its WAL flush): with
32 concurrent creates, 0.33-0.45x the throughput of the same INSERT without the
rollup (measured with 32 asyncpg connections on one user, category and month).
Now each statement inserts the change to every bucket it touches as new rows, which
no other transaction can see or wait for: 0.87-1.27x in the same measure.

A bucket is therefore the SUM of its rows. ``api.rollups`` folds the rows of a
bucket into one (``folded``) a few seconds after they are written, so readers sum a
handful of rows per bucket, as many as before. The rows also carry the expenses'
``currency``, so a summary filtered by currency can come from the rollup too.

``category_id`` is no longer a foreign key (its constraint is dropped here; Piccolo
cannot migrate the column's type, so its table still declares one): inserting a row
would take a key-share lock on its category, so moving an expense out of a
category waited for that category's deletion while the deletion (reassigning its
expenses) waited for the moved expense — a deadlock the upsert never met, since an
update that keeps the key checks nothing. A trigger on ``category`` removes the
rows instead. None can be left behind: any write adding a row for a category
holds the row lock of an expense in it, which the deletion (a category still in
use is refused, or its expenses reassigned first) must wait for.
"""

from collections.abc import Callable

from migrations import raw_sql
from migrations.m0015_money_sql import FORWARDS as MONEY_FORWARDS

ID = "2026-11-27T07:11:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "rollup rows are deltas, folded in the background; by currency too"

_LIVE = "deleted_at IS NULL"
_COLUMNS = "user_id, category_id, month, currency, total, count, expenses, unconverted"


def _whole_lines(rows: str) -> str:
    """The counted lines of the expense rows ``rows`` that are not split: themselves."""
    return f"""
        SELECT user_id, category_id, spent_on, currency, base_amount, true AS first
        FROM {rows} WHERE {_LIVE} AND split_amounts IS NULL
    """


def _part_lines(rows: str) -> str:
    """The counted lines of the split expense rows ``rows`` (an alias-free relation): parts."""
    return f"""
        SELECT r.user_id, s.category_id, r.spent_on, r.currency, s.base_amount, s.part = 1 AS first
        FROM {rows} r
        CROSS JOIN LATERAL split_lines(r.split_category_ids, r.split_amounts, r.amount,
                                       r.base_amount) s
        WHERE r.{_LIVE} AND r.split_amounts IS NOT NULL
    """


def _lines(rows: str) -> str:
    """The counted lines of the expense rows ``rows``: the expense, or its parts."""
    return f"{_whole_lines(rows).rstrip(' ')}        UNION ALL{_part_lines(rows)}"


def _bucket_sums(rows: str, sign: str = "", lines: Callable[[str], str] = _lines) -> str:
    return f"""
        SELECT user_id, category_id, date_trunc('month', spent_on)::date AS month, currency,
               {sign}coalesce(sum(base_amount), 0) AS total,
               {sign}count(*) AS count,
               {sign}count(*) FILTER (WHERE first) AS expenses,
               {sign}count(*) FILTER (WHERE first AND base_amount IS NULL) AS unconverted
        FROM ({lines(rows)}) AS line
        GROUP BY 1, 2, 3, 4
    """


def _add_rows(body: str) -> str:
    return f"""
    BEGIN
        INSERT INTO expense_monthly_rollup ({_COLUMNS})
        {body};
        RETURN NULL;
    END $$
    """


_NET_CHANGE = f"""
        SELECT user_id, category_id, month, currency, sum(total), sum(count), sum(expenses),
               sum(unconverted)
        FROM ({_bucket_sums("old_rows", "-")} UNION ALL {_bucket_sums("new_rows")}) AS change
        GROUP BY 1, 2, 3, 4
        HAVING sum(total) <> 0 OR sum(count) <> 0 OR sum(expenses) <> 0
            OR sum(unconverted) <> 0
"""

FORWARDS = [
    "ALTER TABLE expense_monthly_rollup DROP CONSTRAINT expense_monthly_rollup_category_id_fkey",
    "CREATE OR REPLACE FUNCTION expense_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$"
    + _add_rows(_bucket_sums("new_rows")),
    # No lock and no lock order to keep any more: nothing is updated. An account's
    # deletion cascades to its expenses after the account row is gone; its rows
    # cascade away too, and a delta for it would break the user_id key.
    "CREATE OR REPLACE FUNCTION expense_rollup_remove() RETURNS trigger LANGUAGE plpgsql AS $$"
    + _add_rows(
        f"SELECT * FROM ({_bucket_sums('old_rows', '-')}) AS gone "
        "WHERE EXISTS (SELECT 1 FROM app_user u WHERE u.id = gone.user_id)"
    ),
    "CREATE OR REPLACE FUNCTION expense_rollup_move() RETURNS trigger LANGUAGE plpgsql AS $$"
    + _add_rows(_NET_CHANGE),
    # The view gains the currency (a new last column is all CREATE OR REPLACE allows).
    f"""
    CREATE OR REPLACE VIEW expense_line AS
    SELECT e.id AS expense_id, e.user_id, e.spent_on, e.category_id, e.amount,
           e.base_amount, true AS first, e.currency
    FROM expense e WHERE e.{_LIVE} AND e.split_amounts IS NULL
    UNION ALL
    SELECT e.id, e.user_id, e.spent_on, s.category_id, s.amount, s.base_amount, s.part = 1,
           e.currency
    FROM expense e
    CROSS JOIN LATERAL split_lines(e.split_category_ids, e.split_amounts, e.amount,
                                   e.base_amount) s
    WHERE e.{_LIVE} AND e.split_amounts IS NOT NULL
    """,
    # Rebuilt by currency, one folded row per bucket.
    "DELETE FROM expense_monthly_rollup",
    f"""
    INSERT INTO expense_monthly_rollup ({_COLUMNS}, folded)
    SELECT user_id, category_id, date_trunc('month', spent_on)::date, currency,
           coalesce(sum(base_amount), 0), count(*), count(*) FILTER (WHERE first),
           count(*) FILTER (WHERE first AND base_amount IS NULL), true
    FROM expense_line GROUP BY 1, 2, 3, 4
    """,
    """
    CREATE FUNCTION category_rollup_cleanup() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM expense_monthly_rollup r USING old_rows o WHERE r.category_id = o.id;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER category_rollup_cleanup AFTER DELETE ON category "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "
    "category_rollup_cleanup()",
    # Readers find a user's buckets by month (analytics, budgets) ...
    "CREATE INDEX expense_monthly_rollup_bucket_idx ON expense_monthly_rollup "
    "(user_id, month, category_id, currency)",
    # ... and the fold finds the buckets with rows still to fold.
    "CREATE INDEX expense_monthly_rollup_unfolded_idx ON expense_monthly_rollup "
    "(user_id, month, category_id, currency) WHERE NOT folded",
]

BACKWARDS = [
    "ALTER TABLE expense_monthly_rollup ADD CONSTRAINT expense_monthly_rollup_category_id_fkey "
    "FOREIGN KEY (category_id) REFERENCES category (id) ON DELETE CASCADE",
    "DROP TRIGGER IF EXISTS category_rollup_cleanup ON category",
    "DROP FUNCTION IF EXISTS category_rollup_cleanup()",
    "DROP INDEX IF EXISTS expense_monthly_rollup_unfolded_idx",
    "DROP INDEX IF EXISTS expense_monthly_rollup_bucket_idx",
    # One row per (user, month, category) again, before the unique key comes back.
    """
    WITH gone AS (DELETE FROM expense_monthly_rollup RETURNING *)
    INSERT INTO expense_monthly_rollup ({_COLUMNS}, folded)
    SELECT user_id, category_id, month, '', sum(total), sum(count), sum(expenses),
           sum(unconverted), true
    FROM gone GROUP BY user_id, category_id, month
    """.replace("{_COLUMNS}", _COLUMNS),
    "DROP VIEW expense_line",
    *[
        statement
        for statement in MONEY_FORWARDS
        if "FUNCTION expense_rollup_" in statement or "CREATE VIEW expense_line" in statement
    ],
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
