"""Helpers shared by the test tiers: a PostgreSQL to test against, an API server."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_JWT_SECRET = "test-secret-" + "x" * 40
PASSWORD = "correct horse battery"


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` (keeps host, socket and credentials)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@contextlib.contextmanager
def postgres_server(workdir: Path) -> Iterator[str]:
    """The server ``TEST_DATABASE_URL``/``DATABASE_URL`` names, else an embedded one."""
    configured = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if configured:
        yield configured
        return
    import pgserver

    server = pgserver.get_server(workdir / "pgdata", cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        close_quietly(server)


def close_quietly(server: object) -> None:
    """Clean a pgserver handle up now, and not again at exit.

    pgserver's own exit hook would log into pytest's already closed streams.
    """
    server.cleanup()  # type: ignore[attr-defined]
    atexit.unregister(server._cleanup)  # type: ignore[attr-defined]


@contextlib.contextmanager
def fresh_database(server_url: str, prefix: str = "expense_test") -> Iterator[str]:
    """Create an empty database for this run; drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(server_url)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    try:
        yield with_database(server_url, name)
    finally:
        asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run_sql(url: str, query: str, *args: object) -> list[asyncpg.Record]:
    """Run one statement on ``url`` from a synchronous test; return its rows."""

    async def run() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetch(query, *args)
        finally:
            await conn.close()

    return asyncio.run(run())


def migrate(url: str) -> list[str]:
    """Apply migrations through the same code path as ``expense-api migrate``."""
    from api import database
    from api.settings import Settings

    database.configure_engine(url, Settings(database_url=url))
    return asyncio.run(database.migrate(url))


def free_port() -> int:
    """A port free right now. Another process may take it before we bind it: use
    ``ApiServer`` (which proves it owns its port) or ``closed_port`` instead of trusting it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections for as long as the block runs.

    Bound but never listening, so no other process can take it meanwhile.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def listens_on(pid: int, port: int) -> bool | None:
    """Whether process ``pid`` holds the listening socket of loopback ``port``.

    ``None`` where ``/proc`` cannot tell (not Linux). A health probe alone cannot:
    another engineer's server may have taken a port we picked and released.
    """
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not all(table.exists() for table in tables):
        return None
    inodes = set()
    for table in tables:
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(f"socket:[{inode}]")
    fd_dir = Path(f"/proc/{pid}/fd")
    with contextlib.suppress(OSError):
        return any(os.readlink(fd) in inodes for fd in fd_dir.iterdir())
    return False


@dataclass
class ApiServer:
    """``expense-api serve`` in a child process, as production runs it."""

    database_url: str
    log_path: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    extra_args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    # The checkout whose code runs (benchmarks compare against another one).
    source: Path = REPO_ROOT
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0, attempts: int = 5) -> ApiServer:
        """Start and wait until *this* process answers ``/health`` on its port.

        A port picked free can be taken before the server binds it; then the server
        exits (address in use) or another server answers: try the next port.
        """
        for _ in range(attempts):
            if self._start_once(timeout):
                return self
            self.port = free_port()
        raise RuntimeError(f"API server found no free port:\n{self.log_path.read_text()}")

    def _start_once(self, timeout: float) -> bool:
        env = {
            **os.environ,
            "APP_ENV": "test",
            "DATABASE_URL": self.database_url,
            "JWT_SECRET": TEST_JWT_SECRET,
            "LOG_LEVEL": "WARNING",
            # Tests register hundreds of accounts from 127.0.0.1.
            "REGISTER_LIMIT_PER_HOUR": "1000000",
            **self.extra_env,
        }
        log = self.log_path.open("ab")
        seen = log.tell()  # this attempt's output starts here
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(self.port), *self.extra_args],
            cwd=self.source,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "address already in use" in self.log_path.read_text()[seen:].lower():
                    return False
                raise RuntimeError(f"API server exited early:\n{self.log_path.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    if listens_on(self.process.pid, self.port) is False:
                        self.stop()  # someone else's server answered on "our" port
                        return False
                    return True
            time.sleep(0.1)  # polling a readiness probe, not a guess at a duration
        self.stop()
        raise RuntimeError(f"API server did not start:\n{self.log_path.read_text()}")

    def stop(self, timeout: float = 15.0) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@dataclass
class Account:
    email: str
    password: str
    access_token: str
    refresh_token: str
    profile: dict

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def unique_email(tag: str = "user") -> str:
    return f"{tag}-{uuid.uuid4().hex[:12]}@example.com"


def register_and_login(client: httpx.Client, **profile: str) -> Account:
    email = profile.pop("email", None) or unique_email()
    password = profile.pop("password", PASSWORD)
    created = client.post(
        "/api/v1/auth/register", json={"email": email, "password": password, **profile}
    )
    assert created.status_code == 201, created.text
    tokens = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    return Account(email, password, body["access_token"], body["refresh_token"], created.json())
