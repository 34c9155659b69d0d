"""``GET /api/v1/ping``: 204 when the access token is good.

A cheap way for a client to check its session, and the ceiling the benchmarks
compare every endpoint against (routing + token check + account lookup).
"""

from __future__ import annotations

from litestar import get
from litestar.status_codes import HTTP_204_NO_CONTENT


@get("/api/v1/ping", status_code=HTTP_204_NO_CONTENT, tags=["auth"], summary="Check a token")
async def ping() -> None:
    return None
