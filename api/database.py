"""The database: Piccolo engine and asyncpg pool, the embedded default, migrations.

``DATABASE_URL`` may be any libpq URL (TCP or a Unix socket via ``?host=/dir``).
When it is unset an embedded PostgreSQL (pgserver) is started in
``EXPENSE_DATA_DIR`` for as long as the server runs.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator

import asyncpg

from api.piccolo_conf import DB
from api.settings import Settings

logger = logging.getLogger(__name__)

# Any 64-bit number unique to this application; every `migrate` takes it, so two
# pods migrating at once run one after the other.
MIGRATION_LOCK_ID = 0x45585045_4E534553  # "EXPENSES"

# Errors that mean "the database cannot serve this now, retry", as opposed to a bad
# query: refused or timed-out connects (OSError, TimeoutError), connections dropped
# by a restarting server (class 08 and 57P0x), a closed connection, a full server,
# a refused login (class 28: a password rotated under a running pod; the next
# connection uses the refreshed one), a pooled connection the server ended while
# it sat idle (asyncpg notices mid-request, as an InternalClientError), and a
# deadlock or serialization failure that the lock order should prevent but that a
# retry always resolves.
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    asyncpg.exceptions.TooManyConnectionsError,
    asyncpg.exceptions.InvalidAuthorizationSpecificationError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.SerializationError,
)


@contextlib.contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """The URL to use: ``DATABASE_URL`` or the embedded server, kept running inside."""
    if settings.database_url is not None:
        yield settings.database_url
        return
    from api.embedded import embedded_postgres

    with embedded_postgres(settings.data_dir / "pgdata") as url:
        yield url


def configure_engine(url: str, settings: Settings, *, bounded_statements: bool = True) -> None:
    """Point the Piccolo engine (and so every table) at ``url``.

    Connects are bounded by ``DB_TIMEOUT_SECONDS``, and a request's statements by
    half of it: a database host that vanished without closing the connection (a dead
    peer sends nothing, not even a reset) times the statement out, and asyncpg then
    spends up to that long again trying to cancel it, so the 503 comes within
    ``DB_TIMEOUT_SECONDS`` (API.md promises 5 s). Bulk statements that may take
    longer (imports) pass their own timeout; migrations are not bounded.
    """
    DB.config = {
        "dsn": url,
        "timeout": settings.db_timeout_seconds,
        "command_timeout": settings.db_timeout_seconds / 2 if bounded_statements else None,
    }


@contextlib.asynccontextmanager
async def connection_pool(settings: Settings) -> AsyncIterator[None]:
    """Open the pool for the lifetime of the app, close it after.

    A database that is down (or refuses our login) when the server starts must not
    crash-loop the pod: the pool then starts empty, ``/ready`` answers 503, and the
    first request after the database is back connects as usual.
    """
    try:
        await _start_pool(settings, settings.db_pool_min_size)
    except UNAVAILABLE_ERRORS as error:
        logger.warning(
            "database unavailable at start; serving 503 until it answers",
            extra={"error": type(error).__name__},
        )
        await _start_pool(settings, 0)
    try:
        yield
    finally:
        await DB.close_connection_pool()


async def _start_pool(settings: Settings, min_size: int) -> None:
    await DB.start_connection_pool(
        min_size=min_size,
        max_size=settings.db_pool_max_size,
        # Idle connections are dropped so a restarted database is reconnected cleanly.
        max_inactive_connection_lifetime=60.0,
        # No request waits longer than this for a connection: with the database
        # down, it answers 503 within seconds instead of hanging.
        acquire_timeout=settings.db_timeout_seconds,
        # asyncpg's default reset runs `RESET ALL; UNLISTEN *; ...` on every release:
        # a round trip per acquire (two per request). Nothing here leaves session
        # state behind (locks are transaction-scoped); asyncpg still rolls back an
        # open transaction before our hook runs.
        reset=keep_session,
    )


async def keep_session(connection: asyncpg.Connection) -> None:
    """The pool's reset: none (see ``_start_pool``); harnesses of the same SQL use it too."""
    return None


def pool() -> asyncpg.Pool:
    """The asyncpg pool behind Piccolo, for the hot paths written in SQL."""
    if DB.pool is None:
        raise RuntimeError("the connection pool is not open")
    return DB.pool


async def ping(timeout: float) -> bool:  # noqa: ASYNC109  (bounds acquire and query alike)
    """True when the database answers a trivial query within ``timeout`` seconds."""
    try:
        async with pool().acquire(timeout=timeout) as conn:
            await conn.fetchval("SELECT 1", timeout=timeout)
    except UNAVAILABLE_ERRORS:
        return False
    return True


async def migrate(url: str) -> list[str]:
    """Apply every pending migration under an advisory lock; return the ids applied."""
    from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

    from api.piccolo_app import APP_CONFIG

    lock_conn = await asyncpg.connect(url)
    try:
        await lock_conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_ID)
        manager = ForwardsMigrationManager(app_name=APP_CONFIG.app_name, migration_id="all")
        await manager.create_migration_table()
        before = set(await _applied_migrations(lock_conn))
        response = await manager.run()
        if not response.success:
            raise RuntimeError(f"migration failed: {response.message}")
        after = await _applied_migrations(lock_conn)
        return [name for name in after if name not in before]
    finally:
        with contextlib.suppress(*UNAVAILABLE_ERRORS):
            await lock_conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_ID)
        await lock_conn.close()


async def _applied_migrations(conn: asyncpg.Connection) -> list[str]:
    rows = await conn.fetch("SELECT name FROM migration ORDER BY id")
    return [row["name"] for row in rows]
