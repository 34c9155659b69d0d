"""Piccolo's configuration module (``PICCOLO_CONF=api.piccolo_conf``).

The engine is created without a DSN: :mod:`api.database` fills it in once it knows
whether ``DATABASE_URL`` names a server or the embedded PostgreSQL must start.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine


class BoundedAcquirePool:
    """The asyncpg pool, with a deadline on every ``acquire()`` that names none.

    Piccolo (queries and transactions) and our SQL call ``pool.acquire()`` without a
    timeout; asyncpg then waits forever for a free connection. With the database
    down or the pool exhausted, a request must fail fast (503) instead of hanging.
    """

    def __init__(self, pool: asyncpg.Pool, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout

    def acquire(self, *, timeout: float | None = None) -> Any:
        return self._pool.acquire(timeout=self._timeout if timeout is None else timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


class DeferredPostgresEngine(PostgresEngine):
    """A Postgres engine that does not connect while it is being constructed.

    Piccolo's engine checks the server version on construction, i.e. on import,
    before the app knows its database URL (the embedded one starts later).
    """

    async def check_version(self) -> None:
        return None

    async def start_connection_pool(self, **kwargs: Any) -> None:
        """Start the pool; ``acquire_timeout`` bounds every wait for a connection."""
        acquire_timeout = kwargs.pop("acquire_timeout", None)
        await super().start_connection_pool(**kwargs)
        if acquire_timeout is not None and self.pool is not None:
            self.pool = BoundedAcquirePool(self.pool, acquire_timeout)  # type: ignore[assignment]


DB = DeferredPostgresEngine(config={}, extensions=(), log_queries=False)

APP_REGISTRY = AppRegistry(apps=["api.piccolo_app"])
