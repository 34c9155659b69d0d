"""Categorisation rules: conditions on an expense (``when``) and what they set (``then``).

Rules run in ``position`` order (ties by id); for each action field the first
matching rule wins. Both documents are checked by the wire types (wire/rules.py)
before they are stored; a rule's ``category_id`` may outlive its category (it is
then ignored), so it is no foreign key.
"""

from piccolo.columns import JSONB, BigSerial, ForeignKey, Integer, OnDelete, Varchar
from piccolo.table import Table

from api.auth.tables import User


class Rule(Table, tablename="rule"):
    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True, null=False)
    name = Varchar(length=100)
    position = Integer(default=0)
    when = JSONB()
    then = JSONB()
