"""``expense-api serve``, ``migrate``, ``prune`` and ``rates import|fetch``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from api.settings import Settings, SettingsError, get_settings

if TYPE_CHECKING:
    import uvicorn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="expense-api", description="Expense Tracker API server")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the API (uvicorn)")
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)"
    )
    serve_parser.add_argument("--port", type=int, default=8000, help="port to bind (default 8000)")
    serve_parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes sharing the port (default 1; on Kubernetes run one per pod "
        "and scale pods instead)",
    )
    serve_parser.add_argument(
        "--stop-with-stdin",
        action="store_true",
        help="shut down gracefully when standard input closes (how the desktop app ties "
        "the embedded API, and its PostgreSQL, to its own life)",
    )
    commands.add_parser("migrate", help="apply every pending migration and exit")
    commands.add_parser(
        "prune", help="delete expired tokens, old throttle counters and idempotency records"
    )
    rates_parser = commands.add_parser("rates", help="euro reference rates of the ECB")
    rates_commands = rates_parser.add_subparsers(dest="rates_command", required=True)
    rates_import = rates_commands.add_parser(
        "import", help="store the rates of an ECB CSV file (daily or history, plain or zipped)"
    )
    rates_import.add_argument("file", type=Path, help="eurofxref.csv, eurofxref-hist.zip, …")
    rates_commands.add_parser(
        "fetch", help="download the latest rates from RATES_URL and store them"
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
    if args.command == "rates":
        from api.currencies import commands as rates

        if args.rates_command == "import":
            return rates.import_file(settings, args.file)
        return rates.fetch(settings)
    if args.workers > 1:
        return serve_workers(settings, args.host, args.port, args.workers)
    return serve(settings, args.host, args.port, stop_with_stdin=args.stop_with_stdin)


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


def _uvicorn_options(settings: Settings) -> dict[str, object]:
    return {
        # X-Forwarded-For is believed only from these addresses (the load balancer).
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
        # On SIGTERM uvicorn stops accepting, then waits this long for in-flight
        # requests (streamed exports included) before it exits.
        "timeout_graceful_shutdown": settings.shutdown_grace_seconds,
        "log_config": None,
        "access_log": False,
        "server_header": False,
        "lifespan": "on",
    }


def serve_workers(settings: Settings, host: str, port: int, workers: int) -> int:
    """``workers`` processes behind one port, for a machine with several cores."""
    if settings.uses_embedded_database:
        print(
            "expense-api: --workers needs DATABASE_URL; each worker would start its own "
            "embedded PostgreSQL",
            file=sys.stderr,
        )
        return 2
    import uvicorn

    uvicorn.run(
        "api.asgi:app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **_uvicorn_options(settings),
    )
    return 0


def serve(settings: Settings, host: str, port: int, *, stop_with_stdin: bool = False) -> int:
    import uvicorn

    from api.asgi import build

    config = uvicorn.Config(build(settings), host=host, port=port, **_uvicorn_options(settings))
    server = uvicorn.Server(config)
    # After its graceful shutdown uvicorn re-raises the SIGTERM it caught, with the
    # handler that was installed before it started; the default one would kill the
    # process (exit status 143) although every request was finished. The shutdown
    # is clean, so the signal has nothing left to do.
    signal.signal(signal.SIGTERM, _shutdown_already_handled)
    if stop_with_stdin:
        _stop_when_stdin_closes(server)
    server.run()
    if not server.started:
        print("expense-api: the server did not start (see the log above)", file=sys.stderr)
        return 3
    return 0


def _shutdown_already_handled(signum: int, frame: FrameType | None) -> None:
    return None


def _stop_when_stdin_closes(server: uvicorn.Server) -> None:
    """Shut down gracefully once standard input reaches its end.

    The parent holds the other end of the pipe; the operating system closes it
    however the parent ends (a crash, ``kill -9``, a Qt abort), on every platform,
    so the server and its embedded PostgreSQL never outlive it.
    """

    def watch() -> None:
        # os.read, not sys.stdin.buffer: a daemon thread blocked inside the buffered
        # reader's lock makes the interpreter abort at exit ("_enter_buffered_busy").
        with contextlib.suppress(OSError, ValueError):
            while os.read(sys.stdin.fileno(), 4096):
                pass
        server.should_exit = True

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
