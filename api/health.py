"""Probes at the root, outside the ingress' ``/api`` prefix."""

from __future__ import annotations

import msgspec
from litestar import Response, get
from litestar.di import NamedDependency

from api import database
from api.errors import problem_response
from api.settings import Settings

READY_TIMEOUT_SECONDS = 2.0


class Health(msgspec.Struct):
    status: str


@get("/health", exclude_from_auth=True, include_in_schema=False, sync_to_thread=False)
def health() -> Health:
    """Liveness: the process answers. Never touches the database."""
    return Health(status="ok")


@get("/ready", exclude_from_auth=True, include_in_schema=False)
async def ready(settings: NamedDependency[Settings]) -> Response:
    """Readiness: 200 when the database answers, 503 when it does not."""
    if await database.ping(timeout=min(READY_TIMEOUT_SECONDS, settings.db_timeout_seconds)):
        return Response(Health(status="ready"))
    return problem_response(503, "The database is not answering.", headers={"Retry-After": "2"})
