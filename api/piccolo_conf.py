"""Piccolo's configuration module (``PICCOLO_CONF=api.piccolo_conf``).

The engine is created without a DSN: :mod:`api.database` fills it in once it knows
whether ``DATABASE_URL`` names a server or the embedded PostgreSQL must start.
"""

from __future__ import annotations

import asyncio
from collections.abc import Generator
from typing import Any

import asyncpg
from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine


class BoundedAcquirePool:
    """The asyncpg pool, handed out first come, first served, with a deadline on every
    ``acquire()`` that names none.

    Piccolo (queries and transactions) and our SQL call ``pool.acquire()`` without a
    timeout; asyncpg then waits forever for a free connection. With the database
    down or the pool exhausted, a request must fail fast (503) instead of hanging.

    asyncpg's own queue is not fair: a released connection wakes the oldest waiter,
    but a request arriving meanwhile takes it first, and the waiter queues again at
    the back. With 32 clients on 10 connections that starved some requests for a
    fifth of a second (list p99 213 ms, where 32 connections at 1,568 req/s mean 20 ms).
    A semaphore of the pool's size, which hands a freed slot straight to its oldest
    waiter, orders them; a slot holder always finds a connection free in asyncpg's queue.
    """

    def __init__(self, pool: asyncpg.Pool, timeout: float, size: int) -> None:
        self._pool = pool
        self._timeout = timeout
        self._slots = asyncio.Semaphore(size)

    def acquire(self, *, timeout: float | None = None) -> _Acquire:
        return _Acquire(self, self._timeout if timeout is None else timeout)

    async def _connection(self, wait: float) -> Any:
        async with asyncio.timeout(wait) as deadline:
            await self._slots.acquire()
        try:
            left = (deadline.when() or 0) - asyncio.get_running_loop().time()
            return await self._pool.acquire(timeout=max(left, 0.001))
        except BaseException:
            self._slots.release()
            raise

    async def release(
        self,
        connection: Any,
        *,
        timeout: float | None = None,  # noqa: ASYNC109  (asyncpg's signature, Piccolo calls it)
    ) -> None:
        try:
            await self._pool.release(connection, timeout=timeout)
        finally:
            self._slots.release()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


class _Acquire:
    """What ``acquire()`` returns, like asyncpg's: awaited, or used with ``async with``."""

    def __init__(self, pool: BoundedAcquirePool, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout
        self._connection: Any = None

    def __await__(self) -> Generator[Any, None, Any]:
        return self._pool._connection(self._timeout).__await__()

    async def __aenter__(self) -> Any:
        self._connection = await self._pool._connection(self._timeout)
        return self._connection

    async def __aexit__(self, *exc_info: object) -> None:
        connection, self._connection = self._connection, None
        await self._pool.release(connection)


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
            size = kwargs["max_size"]
            self.pool = BoundedAcquirePool(self.pool, acquire_timeout, size)  # type: ignore[assignment]


DB = DeferredPostgresEngine(config={}, extensions=(), log_queries=False)

APP_REGISTRY = AppRegistry(apps=["api.piccolo_app"])
