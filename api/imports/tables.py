"""Bank-file imports and the saved mappings (profiles) they can be read with.

An ``import`` row records one committed file: the expenses it created carry its id
(``expense.import_id``), which is how ``DELETE /imports/{id}`` finds them to undo.
Deleting the row leaves those expenses (in the trash, after an undo) unlinked.
"""

from piccolo.columns import JSONB, BigSerial, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.table import Table

from api.auth.tables import User


class Import(Table, tablename="import"):
    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True, null=False)
    created_at = Timestamptz()
    # "csv" | "ofx" | "qif" | "camt053": what the content was recognised as.
    format = Varchar(length=10)
    # The label the expenses were filed under ("" when the file and the user named none).
    account = Varchar(length=100)
    created = Integer(default=0)


class ImportProfile(Table, tablename="import_profile"):
    """A saved CSV mapping (API.md's shape), one per bank, shareable as JSON."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True, null=False)
    name = Varchar(length=100)
    mapping = JSONB()
