"""The per-user rollup ``expense_user_rollup``: a summary of all history at a constant cost.

A summary without dates or a category summed the monthly rollup's rows of every
month and category: 480 rows for 5 years of history, 4,800 for 50, and the request
cost 1.65x as much (``make bench-large``). This table holds, per user and the
expenses' currency, the sum of the monthly rollup's **folded** rows. Its invariant:

    expense_user_rollup(user, currency) = sum of the folded monthly rows of (user, currency)

so the folded rows plus the delta rows not folded yet (few: a couple of seconds of
writes, found by ``expense_monthly_rollup_unfolded_idx``) give the whole history.

Who keeps the invariant: row triggers on ``expense_monthly_rollup`` itself, which
fire only for folded rows (``WHEN``: a delta row a write inserts costs that test
and nothing more, so a create pays nothing for this table). Whoever folds (the
fold in ``api/rollups.py``, an API process of the release before this one still
folding during a rolling update) or deletes folded rows (the category cleanup of
m0022, an account's deletion) keeps it exact without knowing of it:

- a folded row inserted adds its sums (``expense_user_rollup_add``, an upsert);
- a folded row deleted takes them out (``expense_user_rollup_remove``; no row to
  update means the account is being deleted and its rows cascade away);
- no statement updates rollup rows; if one did, it would be both
  (``expense_user_rollup_change``).

The fold rewrites a bucket as one folded row, so a user's row here is updated
twice per bucket folded: a few times every two seconds for a busy account. The
backfill below starts it from the folded rows, in the migration's transaction,
with the rollup locked against folds.
"""

from migrations import raw_sql

ID = "2026-11-27T09:51:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "per-user rollup: unique key, backfill, triggers on the monthly rollup"

_SUMS = ("total", "count", "expenses", "unconverted")

_SET_ADD = ", ".join(f"{c} = u.{c} + excluded.{c}" for c in _SUMS)
_SET_SUBTRACT = ", ".join(f"{c} = u.{c} - OLD.{c}" for c in _SUMS)
_ADD = f"""
    INSERT INTO expense_user_rollup AS u (user_id, currency, {", ".join(_SUMS)})
    VALUES (NEW.user_id, NEW.currency, {", ".join(f"NEW.{c}" for c in _SUMS)})
    ON CONFLICT (user_id, currency) DO UPDATE SET {_SET_ADD};
"""
_REMOVE = f"""
    UPDATE expense_user_rollup u SET {_SET_SUBTRACT}
    WHERE u.user_id = OLD.user_id AND u.currency = OLD.currency;
"""


def _function(name: str, body: str) -> str:
    return (
        f"CREATE FUNCTION expense_user_rollup_{name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nRETURN NULL;\nEND $$"
    )


FORWARDS = [
    # No fold may commit between the backfill's snapshot and the triggers (an API
    # process still running the release before folds as it always did): the lock
    # waits for a running fold and holds the next until the migration commits.
    "LOCK TABLE expense_monthly_rollup IN SHARE ROW EXCLUSIVE MODE",
    # The upsert's key, and the sums in the index for the reader.
    "CREATE UNIQUE INDEX expense_user_rollup_key ON expense_user_rollup (user_id, currency) "
    "INCLUDE (total, count, expenses, unconverted)",
    f"""
    INSERT INTO expense_user_rollup (user_id, currency, {", ".join(_SUMS)})
    SELECT user_id, currency, {", ".join(f"sum({c})" for c in _SUMS)}
    FROM expense_monthly_rollup WHERE folded
    GROUP BY 1, 2
    """,
    _function("add", f"IF NEW.folded THEN {_ADD} END IF;"),
    _function("remove", f"IF OLD.folded THEN {_REMOVE} END IF;"),
    _function("change", f"IF OLD.folded THEN {_REMOVE} END IF; IF NEW.folded THEN {_ADD} END IF;"),
    "CREATE TRIGGER expense_user_rollup_add AFTER INSERT ON expense_monthly_rollup "
    "FOR EACH ROW WHEN (NEW.folded) EXECUTE FUNCTION expense_user_rollup_add()",
    "CREATE TRIGGER expense_user_rollup_remove AFTER DELETE ON expense_monthly_rollup "
    "FOR EACH ROW WHEN (OLD.folded) EXECUTE FUNCTION expense_user_rollup_remove()",
    "CREATE TRIGGER expense_user_rollup_change AFTER UPDATE ON expense_monthly_rollup "
    "FOR EACH ROW WHEN (OLD.folded OR NEW.folded) EXECUTE FUNCTION expense_user_rollup_change()",
]

BACKWARDS = [
    *[
        f"DROP TRIGGER IF EXISTS expense_user_rollup_{name} ON expense_monthly_rollup"
        for name in ("add", "remove", "change")
    ],
    *[
        f"DROP FUNCTION IF EXISTS expense_user_rollup_{name}()"
        for name in ("add", "remove", "change")
    ],
    "DROP INDEX IF EXISTS expense_user_rollup_key",
    "DELETE FROM expense_user_rollup",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
