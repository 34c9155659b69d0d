"""Query and path parameters shared by every route, so each rule is declared once.

Ids are BIGSERIAL (1 ... 2**63 - 1). Out of that range a path id names nothing
(404, see ``api.errors``) and a query id is a 422 — never a database error.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar.params import Parameter, QueryParameter

from api.errors import Problem
from wire.validation import MAX_ID

PathId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Parameter(ge=1, le=MAX_ID)]
# An inclusive day range; `from` after `to` is refused by reject_reversed.
DateFrom = Annotated[
    date | None, QueryParameter(name="from", description="First day, inclusive (YYYY-MM-DD)")
]
DateTo = Annotated[
    date | None, QueryParameter(name="to", description="Last day, inclusive (YYYY-MM-DD)")
]


def reject_reversed(first: date | None, last: date | None) -> None:
    """A ``from`` after its ``to`` is a 422, on every route that takes a range."""
    if first is not None and last is not None and first > last:
        raise Problem(
            422,
            "`from` must not be after `to`.",
            errors=[{"field": "from", "message": "Must not be after `to`", "source": "query"}],
        )
