"""Parameter types shared by every route, so each bound is declared once.

Ids are BIGSERIAL (1 ... 2**63 - 1). Out of that range a path id names nothing
(404, see ``api.errors``) and a query id is a 422 — never a database error.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from wire.validation import MAX_ID

PathId = Annotated[int, Parameter(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Parameter(ge=1, le=MAX_ID)]
