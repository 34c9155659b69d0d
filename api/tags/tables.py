from piccolo.columns import BigSerial, ForeignKey, OnDelete, Varchar
from piccolo.constraints import Unique
from piccolo.table import Table

from api.auth.tables import User
from api.expenses.tables import Expense


class Tag(Table, tablename="tag"):
    """A user's tag. Names are unique per user case-insensitively (the index on
    ``(user_id, lower(name))`` lives in migration m0013); the first spelling is kept.
    A tag exists only while some expense carries it: writes delete the orphans."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(references=User, on_delete=OnDelete.cascade, index=False, null=False)
    name = Varchar(length=40)


class ExpenseTag(Table, tablename="expense_tag"):
    """An expense carries a tag; deleting either removes the link."""

    id = BigSerial(primary_key=True)
    expense_id = ForeignKey(references=Expense, on_delete=OnDelete.cascade, index=False, null=False)
    tag_id = ForeignKey(references=Tag, on_delete=OnDelete.cascade, index=True, null=False)

    # Also the index that finds an expense's tags (expense_id first).
    one_link_per_tag = Unique([expense_id, tag_id])
