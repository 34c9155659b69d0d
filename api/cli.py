"""``expense-api serve``, ``migrate`` and ``prune``."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from types import FrameType

from api.settings import Settings, SettingsError, get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="expense-api", description="Expense Tracker API server")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the API (uvicorn)")
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)"
    )
    serve_parser.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    commands.add_parser("migrate", help="apply every pending migration and exit")
    commands.add_parser(
        "prune", help="delete expired tokens, old throttle counters and idempotency records"
    )
    args = parser.parse_args(argv)

    try:
        settings = get_settings()
    except SettingsError as error:
        print(f"expense-api: configuration error: {error}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        return migrate(settings)
    if args.command == "prune":
        return prune(settings)
    return serve(settings, args.host, args.port)


def migrate(settings: Settings) -> int:
    from api import database

    async def run() -> list[str]:
        with database.database_url(settings) as url:
            database.configure_engine(url, settings, bounded_statements=False)
            return await database.migrate(url)

    applied = asyncio.run(run())
    print(
        f"expense-api: applied {len(applied)} migration(s)"
        + (f": {', '.join(applied)}" if applied else "")
    )
    return 0


def prune(settings: Settings) -> int:
    import asyncpg

    from api import database, retention

    async def run() -> retention.Pruned:
        with database.database_url(settings) as url:
            conn = await asyncpg.connect(url, timeout=settings.db_timeout_seconds)
            try:
                return await retention.prune(conn)
            finally:
                await conn.close()

    pruned = asyncio.run(run())
    print("expense-api: pruned " + ", ".join(f"{n} {kind}" for kind, n in pruned.counts.items()))
    return 0


def serve(settings: Settings, host: str, port: int) -> int:
    import uvicorn

    from api.app import create_app
    from api.logging import RequestLogMiddleware

    config = uvicorn.Config(
        # Outermost, so every answer (routing 404/405 and auth 401 included) carries
        # an X-Request-ID and is logged once.
        RequestLogMiddleware(create_app(settings)),
        host=host,
        port=port,
        # X-Forwarded-For is believed only from these addresses (the load balancer).
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        # On SIGTERM uvicorn stops accepting, then waits this long for in-flight
        # requests (streamed exports included) before it exits.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        log_config=None,
        access_log=False,
        server_header=False,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    # After its graceful shutdown uvicorn re-raises the SIGTERM it caught, with the
    # handler that was installed before it started; the default one would kill the
    # process (exit status 143) although every request was finished. The shutdown
    # is clean, so the signal has nothing left to do.
    signal.signal(signal.SIGTERM, _shutdown_already_handled)
    server.run()
    if not server.started:
        print("expense-api: the server did not start (see the log above)", file=sys.stderr)
        return 3
    return 0


def _shutdown_already_handled(signum: int, frame: FrameType | None) -> None:
    return None


if __name__ == "__main__":
    sys.exit(main())
