"""The conversion trigger splits: a bulk INSERT that converts its own rows skips it.

``expense_convert_before_write`` (m0015) ran once per row of every INSERT and UPDATE:
a PL/pgSQL call that reads the owner's base currency and calls ``rate_on``. For
a 10,000-row bank import that is 10,000 calls, 165-350 ms of the INSERT's 530-900 ms
(EXPLAIN ANALYZE trigger times on a 2-core machine, quiet to loaded), for at most a
few hundred distinct (currency, day) pairs.

Now two triggers run the same function: ``expense_convert_before_update`` on every
UPDATE, as before, and ``expense_convert_before_insert`` on every INSERT unless the
transaction-local setting ``expense.converted`` is ``on``. Only a statement that
sets ``rate`` and ``base_amount`` itself exactly as the function would (the owner's
base, ``rate_on`` and ``convert_amount``, per distinct currency and day) may turn it
on, for that one statement: the bank import (``api/imports/queries.py``, which turns
it off again right after; a failure rolls the transaction and the setting back).
``tests/api/test_bank_import_convert.py`` checks that its rows equal the trigger's.
"""

from migrations import raw_sql

ID = "2026-11-27T09:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "conversion trigger per INSERT and UPDATE; a bulk insert may convert itself"

FORWARDS = [
    "DROP TRIGGER expense_convert_before_write ON expense",
    "CREATE TRIGGER expense_convert_before_update BEFORE UPDATE ON expense "
    "FOR EACH ROW EXECUTE FUNCTION expense_convert()",
    "CREATE TRIGGER expense_convert_before_insert BEFORE INSERT ON expense FOR EACH ROW "
    "WHEN (current_setting('expense.converted', true) IS DISTINCT FROM 'on') "
    "EXECUTE FUNCTION expense_convert()",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS expense_convert_before_insert ON expense",
    "DROP TRIGGER IF EXISTS expense_convert_before_update ON expense",
    "CREATE TRIGGER expense_convert_before_write BEFORE INSERT OR UPDATE ON expense "
    "FOR EACH ROW EXECUTE FUNCTION expense_convert()",
]


forwards = raw_sql(ID, DESCRIPTION, FORWARDS, BACKWARDS)
