"""Small service routes under ``/api/v1`` (the probes at the root are not routed by
the ingress, so clients ask here).

- ``GET /api/v1/ping``: 204 when the access token is good. A cheap session check
  for clients, and the ceiling the benchmarks compare every endpoint against
  (routing + token check + live-login check, mostly answered from the process's
  cache), itself compared with ``/health``, the same stack without a token.
- ``GET /api/v1/version``: the server's version, for the desktop's About box.
"""

from __future__ import annotations

from litestar import get
from litestar.status_codes import HTTP_204_NO_CONTENT

from api.version import __version__
from wire.service import ServerVersion


@get("/api/v1/ping", status_code=HTTP_204_NO_CONTENT, tags=["auth"], summary="Check a token")
async def ping() -> None:
    return None


@get(
    "/api/v1/version",
    exclude_from_auth=True,
    tags=["service"],
    operation_id="getVersion",
    summary="The server's version",
    sync_to_thread=False,
)
def server_version() -> ServerVersion:
    return ServerVersion(version=__version__)
