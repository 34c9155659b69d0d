"""The per-tag rollup ``expense_tag_rollup`` kept exact by triggers, as delta rows.

The tag totals and a summary filtered by one tag read every tagged expense row
until now. The rollup holds, per user, tag, month and the expenses' currency, the
sum of the base amounts, the expenses and those without a base amount (an expense
counts under each of its tags with its whole base amount, a split too: what the
tag totals have always counted). The rows are deltas as in m0022: a write only
inserts rows, readers sum them, ``api.rollups`` folds them in the background.

Its inputs live in two tables, so two sides write it:

- ``expense``: an UPDATE (amount, date, currency, trash and restore, rates
  arriving, a base-currency change) adds the net change of its rows under their
  tags (``expense_tag_rollup_move``). An INSERT adds nothing: a new expense has no
  links yet. A hard DELETE takes the expense out under its tags BEFORE the row
  goes (``expense_tag_rollup_forget``, one row at a time, only for live expenses):
  the cascade then deletes its links, and by the time any AFTER trigger runs the
  expense row can no longer be read, nor its links from the expense's side.
- ``expense_tag``: links added (``expense_tag_rollup_link``) or removed
  (``expense_tag_rollup_unlink``: a tag deleted or merged away cascades here) add
  or take out the live expense's amount. A link whose expense is already gone (a
  hard DELETE's cascade) finds no expense row and adds nothing: the expense side
  took it out. An UPDATE of a link (none today) is both (``expense_tag_rollup_relink``).

An account's deletion cascades to its expenses, tags and links after the account
row is gone; a delta for it would break the user_id key, hence the EXISTS guards.

Concurrency: a change of links and a change of the linked expense must not miss
each other. Every writer of links holds the expense's row lock: an expense PATCH
updates the row first, an import inserts it, and a tag's rename, merge or delete
bumps the version of every expense carrying it (``_touch_tagged``) before
touching links, so its trigger reads the expenses as committed.

No foreign key on ``tag_id`` (the deadlock m0022 describes for ``category_id``):
a deleted tag's links are removed by the cascade first, its buckets sum to zero
and the fold drops them.
"""

from migrations import raw_sql

ID = "2026-11-27T07:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "per-tag rollup: triggers on expense and expense_tag, indexes, backfill"

_COLUMNS = "user_id, tag_id, month, currency, total, count, unconverted"
_OWNER_EXISTS = "EXISTS (SELECT 1 FROM app_user u WHERE u.id = e.user_id)"


def _sums(expenses: str, links: str, sign: str = "", where: str = "true") -> str:
    """Each live expense of ``expenses`` under each of its tags in ``links``."""
    return f"""
        SELECT e.user_id, l.tag_id, date_trunc('month', e.spent_on)::date AS month,
               e.currency, {sign}coalesce(sum(e.base_amount), 0) AS total,
               {sign}count(*) AS count,
               {sign}count(*) FILTER (WHERE e.base_amount IS NULL) AS unconverted
        FROM {expenses} e JOIN {links} l ON l.expense_id = e.id
        WHERE e.deleted_at IS NULL AND {where}
        GROUP BY 1, 2, 3, 4
    """


def _net(*parts: str) -> str:
    union = " UNION ALL ".join(parts)
    return f"""
        SELECT user_id, tag_id, month, currency, sum(total), sum(count), sum(unconverted)
        FROM ({union}) AS change
        GROUP BY 1, 2, 3, 4
        HAVING sum(total) <> 0 OR sum(count) <> 0 OR sum(unconverted) <> 0
    """


def _function(name: str, body: str, result: str = "NULL") -> str:
    return f"""
    CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO expense_tag_rollup ({_COLUMNS})
        {body};
        RETURN {result};
    END $$
    """


FORWARDS = [
    _function(
        "expense_tag_rollup_move",
        _net(
            _sums("old_rows", "expense_tag", "-"),
            _sums("new_rows", "expense_tag"),
        ),
    ),
    _function(
        "expense_tag_rollup_forget",
        """SELECT OLD.user_id, l.tag_id, date_trunc('month', OLD.spent_on)::date, OLD.currency,
               -coalesce(OLD.base_amount, 0), -1, -(OLD.base_amount IS NULL)::int
        FROM expense_tag l
        WHERE l.expense_id = OLD.id
          AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = OLD.user_id)""",
        "OLD",
    ),
    _function("expense_tag_rollup_link", _sums("expense", "new_rows")),
    _function("expense_tag_rollup_unlink", _sums("expense", "old_rows", "-", _OWNER_EXISTS)),
    _function(
        "expense_tag_rollup_relink",
        _net(
            _sums("expense", "old_rows", "-", _OWNER_EXISTS),
            _sums("expense", "new_rows"),
        ),
    ),
    "CREATE TRIGGER expense_tag_rollup_move AFTER UPDATE ON expense "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION expense_tag_rollup_move()",
    # A trashed expense counts nowhere: purging the trash runs no function at all.
    "CREATE TRIGGER expense_tag_rollup_forget BEFORE DELETE ON expense "
    "FOR EACH ROW WHEN (OLD.deleted_at IS NULL) EXECUTE FUNCTION expense_tag_rollup_forget()",
    "CREATE TRIGGER expense_tag_rollup_link AFTER INSERT ON expense_tag "
    "REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION expense_tag_rollup_link()",
    "CREATE TRIGGER expense_tag_rollup_unlink AFTER DELETE ON expense_tag "
    "REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION expense_tag_rollup_unlink()",
    "CREATE TRIGGER expense_tag_rollup_relink AFTER UPDATE ON expense_tag "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION expense_tag_rollup_relink()",
    # The history so far, one folded row per bucket.
    f"""
    INSERT INTO expense_tag_rollup ({_COLUMNS}, folded)
    SELECT *, true FROM ({_sums("expense", "expense_tag")}) AS bucket
    """,
    # One tag's months (a summary), or all of a user's tags (the tag totals), with
    # the sums in the index ...
    "CREATE INDEX expense_tag_rollup_bucket_idx ON expense_tag_rollup "
    "(user_id, tag_id, month, currency) INCLUDE (total, count, unconverted)",
    # ... and the buckets the fold has still to fold.
    "CREATE INDEX expense_tag_rollup_unfolded_idx ON expense_tag_rollup "
    "(user_id, tag_id, month, currency) WHERE NOT folded",
    # The tag totals' count of unconverted tagged expenses, which no per-tag sum
    # can give (an expense with two tags is one): few rows, waiting for a rate.
    "CREATE INDEX expense_user_unconverted_idx ON expense (user_id, spent_on) "
    "WHERE deleted_at IS NULL AND base_amount IS NULL",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS expense_user_unconverted_idx",
    "DROP INDEX IF EXISTS expense_tag_rollup_unfolded_idx",
    "DROP INDEX IF EXISTS expense_tag_rollup_bucket_idx",
    "DROP TRIGGER IF EXISTS expense_tag_rollup_relink ON expense_tag",
    "DROP TRIGGER IF EXISTS expense_tag_rollup_unlink ON expense_tag",
    "DROP TRIGGER IF EXISTS expense_tag_rollup_link ON expense_tag",
    "DROP TRIGGER IF EXISTS expense_tag_rollup_forget ON expense",
    "DROP TRIGGER IF EXISTS expense_tag_rollup_move ON expense",
    *[
        f"DROP FUNCTION IF EXISTS expense_tag_rollup_{name}()"
        for name in ("move", "forget", "link", "unlink", "relink")
    ],
    "DELETE FROM expense_tag_rollup",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
