"""Logins for existing tokens; prune indexes; rollup triggers that lock in one order.

The first release's ``expense_rollup_move`` subtracted from the old buckets and then
added to the new ones: two updates moving expenses A (cat 1 -> 2) and B (2 -> 1)
locked the buckets in opposite orders and deadlocked. A move is now one upsert of
the net change per bucket in key order (user, category, month: the insert trigger's
order), removal locks its buckets in that order before updating, and a change that
moves nothing (a new description) touches no bucket at all.
"""

from migrations import raw_sql

ID = "2026-11-27T01:25:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "logins for existing tokens, prune indexes, rollup lock order"

FORWARDS = [
    "INSERT INTO login (id, user_id, created_at, revoked_at) "
    "SELECT family_id, min(user_id), min(created_at), max(revoked_at) "
    "FROM refresh_token GROUP BY family_id",
    "ALTER TABLE refresh_token ADD CONSTRAINT refresh_token_login_fkey "
    "FOREIGN KEY (family_id) REFERENCES login (id) ON DELETE CASCADE",
    "CREATE INDEX refresh_token_expires_at_idx ON refresh_token (expires_at)",
    "CREATE INDEX login_failure_window_started_at_idx ON login_failure (window_started_at)",
    # One upsert of the net change per bucket, in key order: INSERT ... SELECT ...
    # ORDER BY takes each bucket's lock as its row comes out of the sort.
    """
    CREATE OR REPLACE FUNCTION expense_rollup_move() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO expense_monthly_rollup (user_id, category_id, month, total, count)
        SELECT user_id, category_id, month, sum(total), sum(count) FROM (
            SELECT user_id, category_id, date_trunc('month', spent_on)::date AS month,
                   -amount AS total, -1 AS count FROM old_rows
            UNION ALL
            SELECT user_id, category_id, date_trunc('month', spent_on)::date,
                   amount, 1 FROM new_rows
        ) AS change
        GROUP BY 1, 2, 3
        HAVING sum(total) <> 0 OR sum(count) <> 0
        ORDER BY 1, 2, 3
        ON CONFLICT (user_id, month, category_id) DO UPDATE
        SET total = expense_monthly_rollup.total + EXCLUDED.total,
            count = expense_monthly_rollup.count + EXCLUDED.count;
        RETURN NULL;
    END $$
    """,
    # Removal must not insert: when a cascade from a deleted user has already
    # removed the buckets there is nothing to update (and nothing to lock).
    """
    CREATE OR REPLACE FUNCTION expense_rollup_remove() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM expense_monthly_rollup r
        JOIN (SELECT DISTINCT user_id, category_id,
                     date_trunc('month', spent_on)::date AS month FROM old_rows) AS gone
          USING (user_id, month, category_id)
        ORDER BY r.user_id, r.category_id, r.month
        FOR UPDATE OF r;
        UPDATE expense_monthly_rollup AS r
        SET total = r.total - gone.total, count = r.count - gone.count
        FROM (
            SELECT user_id, category_id, date_trunc('month', spent_on)::date AS month,
                   sum(amount) AS total, count(*) AS count
            FROM old_rows
            GROUP BY 1, 2, 3
        ) AS gone
        WHERE r.user_id = gone.user_id AND r.category_id = gone.category_id
          AND r.month = gone.month;
        RETURN NULL;
    END $$
    """,
]

BACKWARDS = [
    "DROP INDEX IF EXISTS login_failure_window_started_at_idx",
    "DROP INDEX IF EXISTS refresh_token_expires_at_idx",
    "ALTER TABLE refresh_token DROP CONSTRAINT IF EXISTS refresh_token_login_fkey",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
