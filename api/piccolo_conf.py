"""Piccolo's configuration module (``PICCOLO_CONF=api.piccolo_conf``).

The engine is created without a DSN: :mod:`api.database` fills it in once it knows
whether ``DATABASE_URL`` names a server or the embedded PostgreSQL must start.
"""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine


class DeferredPostgresEngine(PostgresEngine):
    """A Postgres engine that does not connect while it is being constructed.

    Piccolo's engine checks the server version on construction, i.e. on import,
    before the app knows its database URL (the embedded one starts later).
    """

    async def check_version(self) -> None:
        return None


DB = DeferredPostgresEngine(config={}, extensions=(), log_queries=False)

APP_REGISTRY = AppRegistry(apps=["api.piccolo_app"])
