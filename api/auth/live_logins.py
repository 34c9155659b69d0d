"""Which logins are live: asked of the database once, then remembered per process and
kept true by LISTEN/NOTIFY.

Why: an access token must be refused as soon as its login ends (logout, ``logout-all``,
a password change, account deletion), in every API process. Asking the database on
every request costs a pool round trip, most of the price of a cheap request. So each
process remembers the logins it found live, and forgets one the moment PostgreSQL
announces its end: the triggers of m0021 notify ``login_ended`` on every update or
delete of a login (and of an account), and this module LISTENs to that on a dedicated
connection, not a pool one (a pooled connection would take the LISTEN to whichever
request borrows it next).

Rules that keep a missed notice from ever letting an ended login through:

- The cache is used, and filled, only while the LISTEN connection is up. When it is
  lost (closed, killed, or silent for a heartbeat) the cache is emptied and every
  request asks the database until LISTEN is back; it then starts empty, since notices
  sent meanwhile were missed.
- An answer is remembered only if nothing was forgotten since its question was
  asked (the generation counter). Otherwise a revocation that committed while the
  question was in flight, and whose notice was handled before the answer came back,
  would be overwritten by the stale "live".
- Revocations made by this process are forgotten right after their commit, before
  their response leaves, without waiting for the notice (``forget``/``forget_user``).
- Only "live" is remembered, never "ended": a refused token asks again (it is refused
  anyway, and nothing stale can come of it).
- Bounded: at most ``MAX_ENTRIES``, each trusted for ``AUTH_CACHE_SECONDS`` at most;
  ``AUTH_CACHE_SECONDS=0`` asks the database on every request (for a database reached
  through a pooler that cannot LISTEN, such as PgBouncer in transaction mode).

Another process learns of a revocation from PostgreSQL's notice. The notice is applied
the moment asyncpg parses it (``_WatchConnection``), and no cached answer is used while
unread data waits on the LISTEN socket: once the notice has reached this process, no
request is answered against it. What remains is its trip there: it leaves at the
revoking commit, before the revoking response does, so it normally arrives well
before that client's next request, unless the listening backend is starved of CPU.
The heartbeat bounds the case of a network that dies silently (no close, no notices).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import select
import time
import uuid
from collections.abc import AsyncIterator, Callable

import asyncpg

from api.database import pool

logger = logging.getLogger(__name__)

CHANNEL = "login_ended"
# Findable in pg_stat_activity (operators, tests): one listener per API process,
# named with the process id.
APPLICATION_NAME = "expense-api login-watch"
MAX_ENTRIES = 16_384  # ~100 bytes each
HEARTBEAT_SECONDS = 5.0
RECONNECT_SECONDS = 1.0
# Today's login probe: the login exists (deleted accounts cascade), belongs to the
# token's user, and was not revoked (logout, logout-all, password change).
LIVE_LOGIN_SQL = "SELECT true FROM login WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL"


class LiveLogins:
    def __init__(self) -> None:
        self.ttl = 0.0
        # login id -> (user id, monotonic deadline); insertion order is age order.
        self._entries: dict[uuid.UUID, tuple[int, float]] = {}
        self._generation = 0
        self._listener: asyncpg.Connection | None = None
        self._listener_fd = -1

    @property
    def listening(self) -> bool:
        # is_closed() also covers a connection lost a moment ago whose termination
        # callback has not run yet.
        return self._listener is not None and not self._listener.is_closed()

    async def is_live(self, login_id: uuid.UUID, user_id: int) -> bool:
        entry = self._entries.get(login_id)
        if (
            entry is not None
            and entry[0] == user_id
            and time.monotonic() < entry[1]
            and self.listening
            and not self._notice_waiting()
        ):
            return True
        if entry is not None:
            self._entries.pop(login_id, None)
        generation = self._generation
        async with pool().acquire() as conn:
            live = bool(await conn.fetchval(LIVE_LOGIN_SQL, login_id, user_id))
        if live and generation == self._generation and self.listening:
            if len(self._entries) >= MAX_ENTRIES:
                del self._entries[next(iter(self._entries))]  # the oldest
            self._entries[login_id] = (user_id, time.monotonic() + self.ttl)
        return live

    def _notice_waiting(self) -> bool:
        """True when the LISTEN socket has unread data (or cannot be asked): it may
        hold a notice for this very login, so the database is asked instead. A notice
        already read was applied as it was parsed (_WatchConnection)."""
        try:
            return bool(select.select([self._listener_fd], [], [], 0)[0])
        except (OSError, ValueError, TypeError):
            return True

    def forget(self, login_id: uuid.UUID) -> None:
        self._generation += 1
        self._entries.pop(login_id, None)

    def forget_user(self, user_id: int) -> None:
        self._generation += 1
        for login_id in [k for k, (owner, _) in self._entries.items() if owner == user_id]:
            del self._entries[login_id]

    def clear(self) -> None:
        self._generation += 1
        self._entries.clear()

    def _on_notice(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        # asyncpg's listener callback: runs a loop turn after the notice was read.
        # _WatchConnection applies it earlier; this stays as the documented path.
        self._apply_notice(payload)

    def _apply_notice(self, payload: str) -> None:
        try:
            if payload.startswith("user:"):
                self.forget_user(int(payload[5:]))
            else:
                self.forget(uuid.UUID(payload))
        except ValueError:  # "*" (truncate) or anything unforeseen: forget everything
            self.clear()

    @contextlib.asynccontextmanager
    async def watching(self, url: str, ttl: float, db_timeout: float) -> AsyncIterator[None]:
        """Listen for the app's lifetime; with ``ttl`` 0, never cache (always probe)."""
        self.ttl = ttl
        self.clear()
        if ttl <= 0:
            yield
            return
        task = asyncio.create_task(self._watch(url, db_timeout))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self.clear()

    async def _watch(self, url: str, db_timeout: float) -> None:
        """Keep one LISTEN connection up; while it is down, nothing is cached."""
        quiet = False  # one warning per outage, not one per reconnect attempt
        while True:
            lost = asyncio.Event()
            conn = None
            try:
                conn = await asyncpg.connect(
                    url,
                    timeout=db_timeout,
                    server_settings={"application_name": f"{APPLICATION_NAME} {os.getpid()}"},
                    connection_class=_WatchConnection,
                )
                conn.on_login_ended = self._apply_notice
                conn.add_termination_listener(lambda _conn, lost=lost: lost.set())
                await conn.add_listener(CHANNEL, self._on_notice)
                self.clear()  # whatever was cached before LISTEN took effect
                self._listener_fd = conn._transport.get_extra_info("socket").fileno()
                self._listener = conn
                if quiet:
                    logger.warning("login watch is back; caching live logins again")
                quiet = False
                while not conn.is_closed():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(lost.wait(), HEARTBEAT_SECONDS)
                        break  # closed or killed
                    # A silent network sends no close: a heartbeat that does not come
                    # back in time counts as a lost connection.
                    await conn.fetchval("SELECT 1", timeout=db_timeout)
                error_name = "ConnectionClosed"
            except Exception as error:  # whatever it was, not listening is the safe state
                error_name = type(error).__name__
            finally:
                self._listener = None
                self.clear()
                if conn is not None:
                    conn.terminate()
            if not quiet:
                logger.warning(
                    "login watch down; asking the database on every request until it is back",
                    extra={"error": error_name},
                )
                quiet = True
            await asyncio.sleep(RECONNECT_SECONDS)


class _WatchConnection(asyncpg.Connection):
    """The LISTEN connection, applying a notice the moment asyncpg parses it.

    asyncpg hands notices to listeners with ``loop.call_soon``: a request already
    queued in the loop would be checked before the notice is applied. Its private
    ``_process_notification`` runs while the bytes are parsed, so hooking it leaves
    no such turn. Should asyncpg rename it, the hook is never called and the public
    listener still applies every notice, one loop turn later
    (test_live_logins_rules checks the hook exists).
    """

    on_login_ended: Callable[[str], None] | None = None

    def _process_notification(self, pid: int, channel: str, payload: str) -> None:
        if channel == CHANNEL and self.on_login_ended is not None:
            self.on_login_ended(payload)
        super()._process_notification(pid, channel, payload)


live_logins = LiveLogins()
