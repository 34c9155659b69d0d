"""The dedup key of imported expenses, and the shapes of the import tables.

Raw SQL runs before a migration's own tables are created, hence a migration of its
own after m0016.
"""

from migrations import raw_sql

ID = "2026-11-27T05:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "bank import dedup key and checks"

FORWARDS = [
    # A bank's transaction id is unique per account: the same file imported twice
    # finds every row again. Rows in the trash keep their key, so an expense the
    # user threw away does not come back with the next statement that lists it.
    "CREATE UNIQUE INDEX expense_import_key ON expense (user_id, account, external_id) "
    "WHERE external_id IS NOT NULL",
    # NULLs are distinct in a unique index: a keyed row must name its account ('' for none).
    "ALTER TABLE expense ADD CONSTRAINT expense_external_id_has_account "
    "CHECK (external_id IS NULL OR account IS NOT NULL)",
    'ALTER TABLE "import" ADD CONSTRAINT import_format_known '
    "CHECK (format IN ('csv', 'ofx', 'qif', 'camt053'))",
    'ALTER TABLE "import" ADD CONSTRAINT import_created_not_negative CHECK (created >= 0)',
    "CREATE INDEX rule_user_position ON rule (user_id, position, id)",
]

BACKWARDS = [
    "DROP INDEX IF EXISTS rule_user_position",
    'ALTER TABLE "import" DROP CONSTRAINT IF EXISTS import_created_not_negative',
    'ALTER TABLE "import" DROP CONSTRAINT IF EXISTS import_format_known',
    "ALTER TABLE expense DROP CONSTRAINT IF EXISTS expense_external_id_has_account",
    "DROP INDEX IF EXISTS expense_import_key",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
