"""The ASGI application as every server process runs it.

``expense-api serve`` builds it once for its own process; with ``--workers N``
uvicorn's supervisor starts N processes that each import :func:`app` (a factory:
each worker reads its settings from the environment and opens its own pool).
"""

from __future__ import annotations

import gc

from litestar.types import ASGIApp

from api.app import create_app
from api.logging import RequestLogMiddleware
from api.settings import Settings, get_settings

# Objects a collection of the youngest generation may hold before it runs (Python's
# default is 700). A list request alone allocates over a thousand (51 records, their
# structs, lists), so at 700 every request triggered collections that traversed the
# live objects of all the requests in flight; py-spy put gc_collect_main at 9 % of the
# API's CPU under wrk. Requests' garbage is freed by reference counting either way.
YOUNG_GENERATION_THRESHOLD = 20_000


def build(settings: Settings) -> ASGIApp:
    # Outermost, so every answer (routing 404/405 and auth 401 included) carries an
    # X-Request-ID and is logged once.
    app = RequestLogMiddleware(create_app(settings))
    settle_heap()
    return app


def settle_heap() -> None:
    """Exempt what the process built to start (modules, the app, its schemas) from
    every later collection, and collect the young generation less often.

    For the serving process only (tests build many apps in one process, where
    frozen objects would never be freed).
    """
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)


def app() -> ASGIApp:
    """The factory uvicorn's workers call (``api.asgi:app``, ``factory=True``)."""
    return build(get_settings())
