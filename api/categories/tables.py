from piccolo.columns import BigSerial, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.table import Table

from api.auth.tables import User


class Category(Table, tablename="category"):
    # Names are unique per user case-insensitively: a raw index on (user_id, lower(name)).
    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, null=False)
    name = Varchar(length=50)
    color = Varchar(length=7)
    created_at = Timestamptz()
