"""Indexes for every sort of the list and for the trash; rollups leave trashed rows out.

Lists, totals, exports and analytics read only rows with ``deleted_at IS NULL``, so
their indexes become partial on that condition (the trash has its own), and the
rollup triggers count a row only while it is out of the trash: moving an expense to
the trash subtracts it, restoring it adds it back, through the move trigger.
"""

from migrations import raw_sql

ID = "2026-11-27T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for sorting and the trash; rollups skip the trash"

_LIVE = "WHERE deleted_at IS NULL"

FORWARDS = [
    "DROP INDEX expense_user_spent_on_id_idx",
    "CREATE INDEX expense_user_spent_on_id_idx ON expense (user_id, spent_on DESC, id DESC) "
    f"INCLUDE (amount, category_id) {_LIVE}",
    f"CREATE INDEX expense_user_amount_id_idx ON expense (user_id, amount, id) {_LIVE}",
    f"CREATE INDEX expense_user_description_id_idx ON expense (user_id, description, id) {_LIVE}",
    f"CREATE INDEX expense_user_created_at_id_idx ON expense (user_id, created_at, id) {_LIVE}",
    "CREATE INDEX expense_user_deleted_at_id_idx ON expense (user_id, deleted_at DESC, id DESC) "
    "WHERE deleted_at IS NOT NULL",
    f"""
    CREATE OR REPLACE FUNCTION expense_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO expense_monthly_rollup (user_id, category_id, month, total, count)
        SELECT user_id, category_id, date_trunc('month', spent_on)::date, sum(amount), count(*)
        FROM new_rows {_LIVE}
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (user_id, month, category_id) DO UPDATE
        SET total = expense_monthly_rollup.total + EXCLUDED.total,
            count = expense_monthly_rollup.count + EXCLUDED.count;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION expense_rollup_remove() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM expense_monthly_rollup r
        JOIN (SELECT DISTINCT user_id, category_id,
                     date_trunc('month', spent_on)::date AS month FROM old_rows {_LIVE}) AS gone
          USING (user_id, month, category_id)
        ORDER BY r.user_id, r.category_id, r.month
        FOR UPDATE OF r;
        UPDATE expense_monthly_rollup AS r
        SET total = r.total - gone.total, count = r.count - gone.count
        FROM (
            SELECT user_id, category_id, date_trunc('month', spent_on)::date AS month,
                   sum(amount) AS total, count(*) AS count
            FROM old_rows {_LIVE}
            GROUP BY 1, 2, 3
        ) AS gone
        WHERE r.user_id = gone.user_id AND r.category_id = gone.category_id
          AND r.month = gone.month;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION expense_rollup_move() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO expense_monthly_rollup (user_id, category_id, month, total, count)
        SELECT user_id, category_id, month, sum(total), sum(count) FROM (
            SELECT user_id, category_id, date_trunc('month', spent_on)::date AS month,
                   -amount AS total, -1 AS count FROM old_rows {_LIVE}
            UNION ALL
            SELECT user_id, category_id, date_trunc('month', spent_on)::date,
                   amount, 1 FROM new_rows {_LIVE}
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
]

BACKWARDS = [
    "DROP INDEX IF EXISTS expense_user_deleted_at_id_idx",
    "DROP INDEX IF EXISTS expense_user_created_at_id_idx",
    "DROP INDEX IF EXISTS expense_user_description_id_idx",
    "DROP INDEX IF EXISTS expense_user_amount_id_idx",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
