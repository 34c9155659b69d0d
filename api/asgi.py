"""The ASGI application as every server process runs it.

``expense-api serve`` builds it once for its own process; with ``--workers N``
uvicorn's supervisor starts N processes that each import :func:`app` (a factory:
each worker reads its settings from the environment and opens its own pool).
"""

from __future__ import annotations

from litestar.types import ASGIApp

from api.app import create_app
from api.logging import RequestLogMiddleware
from api.settings import Settings, get_settings


def build(settings: Settings) -> ASGIApp:
    # Outermost, so every answer (routing 404/405 and auth 401 included) carries an
    # X-Request-ID and is logged once.
    return RequestLogMiddleware(create_app(settings))


def app() -> ASGIApp:
    """The factory uvicorn's workers call (``api.asgi:app``, ``factory=True``)."""
    return build(get_settings())
