"""The per-process live-login cache (api/auth/live_logins.py) never outlives a login.

Two real server processes share one database: a login ended through one of them is
refused at once by both, the other one learning it from PostgreSQL's notice. Some
tests end a login behind the triggers' back (``session_replication_role = replica``
fires no trigger, so no notice): a process still accepting the token then proves
it answered from its cache, and one refusing it proves it asked the database.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator

import asyncpg
import httpx
import jwt
import pytest

from tests.support import PASSWORD, Account, ApiServer, register_and_login, run_sql


def _server(database_url: str, folder, name: str, **env: str) -> ApiServer:
    return ApiServer(database_url, folder / f"{name}.log", extra_env=env).start()


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory) -> Iterator[tuple[ApiServer, ApiServer]]:
    folder = tmp_path_factory.mktemp("live-logins")
    first = _server(database_url, folder, "first")
    second = _server(database_url, folder, "second")
    yield first, second
    first.stop()
    second.stop()


def ping(server: ApiServer, account: Account) -> int:
    return httpx.get(f"{server.url}/api/v1/ping", headers=account.headers, timeout=30).status_code


def warm(account: Account, *servers: ApiServer) -> None:
    for server in servers:
        for _ in range(3):
            assert ping(server, account) == 204


def login_id(account: Account) -> uuid.UUID:
    return uuid.UUID(jwt.decode(account.access_token, options={"verify_signature": False})["sid"])


def revoke_silently(database_url: str, login: uuid.UUID) -> None:
    """Revoke a login with every trigger off: no notice reaches any process."""

    async def run() -> None:
        conn = await asyncpg.connect(database_url)
        try:
            await conn.execute("SET session_replication_role = replica")
            await conn.execute("UPDATE login SET revoked_at = now() WHERE id = $1", login)
        finally:
            await conn.close()

    asyncio.run(run())


def sign_in_again(server: ApiServer, account: Account) -> Account:
    body = {"email": account.email, "password": account.password}
    tokens = httpx.post(f"{server.url}/api/v1/auth/login", json=body, timeout=30).json()
    return Account(account.email, account.password, tokens["access_token"],
                   tokens["refresh_token"], account.profile)  # fmt: skip


def _logout(server: ApiServer, account: Account) -> httpx.Response:
    body = {"refresh_token": account.refresh_token}
    return httpx.post(f"{server.url}/api/v1/auth/logout", json=body, timeout=30)


def _logout_all(server: ApiServer, account: Account) -> httpx.Response:
    return httpx.post(f"{server.url}/api/v1/me/logout-all", headers=account.headers, timeout=30)


def _change_password(server: ApiServer, account: Account) -> httpx.Response:
    body = {"current_password": PASSWORD, "new_password": "another passphrase"}
    return httpx.post(
        f"{server.url}/api/v1/me/password", json=body, headers=account.headers, timeout=30
    )


def _delete_account(server: ApiServer, account: Account) -> httpx.Response:
    return httpx.delete(f"{server.url}/api/v1/me", headers=account.headers, timeout=30)


ENDINGS: dict[str, Callable[[ApiServer, Account], httpx.Response]] = {
    "logout": _logout,
    "logout-all": _logout_all,
    "password change": _change_password,
    "account deletion": _delete_account,
}


@pytest.mark.parametrize("observer", ["same server", "other server"])
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_an_ended_login_is_refused_at_once_by_every_process(servers, ending, observer):
    first, second = servers
    with httpx.Client(base_url=first.url, timeout=30) as client:
        account = register_and_login(client)
    warm(account, first, second)  # both processes now hold the login as live
    assert ENDINGS[ending](first, account).status_code == 204
    watcher = first if observer == "same server" else second
    assert ping(watcher, account) == 401
    assert httpx.get(f"{watcher.url}/api/v1/me", headers=account.headers).status_code == 401


def test_the_cache_answers_and_the_notice_is_what_keeps_it_true(servers, database_url):
    first, second = servers
    with httpx.Client(base_url=first.url, timeout=30) as client:
        account = register_and_login(client)
    warm(account, second)
    revoke_silently(database_url, login_id(account))
    # No notice, no probe: the warm process still trusts the login (for at most
    # AUTH_CACHE_SECONDS); a login it never saw is asked of the database.
    assert ping(second, account) == 204
    assert ping(first, account) == 401


def _listener(server: ApiServer, database_url: str) -> asyncpg.Record | None:
    rows = run_sql(
        database_url,
        "SELECT pid, state, query FROM pg_stat_activity WHERE application_name = $1",
        f"expense-api login-watch {server.process.pid}",
    )
    return rows[0] if rows else None


def _wait_for(condition: Callable[[], object], what: str, seconds: float = 20) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)  # polling the database's view, not guessing a duration
    raise AssertionError(f"timed out waiting for {what}")


def _listening(server: ApiServer, database_url: str, not_pid: int | None = None):
    row = _listener(server, database_url)
    ready = (
        row is not None
        and row["pid"] != not_pid
        and row["state"] == "idle"
        and (row["query"].startswith("LISTEN") or row["query"] == "SELECT 1")
    )
    return row if ready else None


def _gone(pid: int, database_url: str) -> bool:
    return not run_sql(database_url, "SELECT 1 FROM pg_stat_activity WHERE pid = $1", pid)


def test_a_lost_listen_connection_falls_back_to_the_database_then_recovers(servers, database_url):
    first, second = servers
    old = _wait_for(lambda: _listening(second, database_url), "the listener")
    with httpx.Client(base_url=first.url, timeout=30) as client:
        account = register_and_login(client)
    warm(account, second)

    run_sql(database_url, "SELECT pg_terminate_backend($1)", old["pid"])
    _wait_for(lambda: _gone(old["pid"], database_url), "the killed listener to exit")
    # Notices sent from now until LISTEN is back are lost; this revocation sends
    # none at all. The process must have dropped what it cached and ask again.
    revoke_silently(database_url, login_id(account))
    assert ping(second, account) == 401

    _wait_for(lambda: _listening(second, database_url, not_pid=old["pid"]), "a new listener")
    again = sign_in_again(first, account)
    warm(again, second)
    revoke_silently(database_url, login_id(again))
    assert ping(second, again) == 204  # cached again: the listener is back
    third = sign_in_again(first, account)
    warm(third, second)
    assert _logout(first, third).status_code == 204
    assert ping(second, third) == 401  # and its notices arrive again


def test_auth_cache_seconds_bounds_trust_and_zero_turns_the_cache_off(
    database_url, tmp_path_factory
):
    folder = tmp_path_factory.mktemp("live-logins-ttl")
    short = _server(database_url, folder, "short", AUTH_CACHE_SECONDS="1")
    off = _server(database_url, folder, "off", AUTH_CACHE_SECONDS="0")
    try:
        with httpx.Client(base_url=short.url, timeout=30) as client:
            account = register_and_login(client)
        warm(account, short, off)
        revoke_silently(database_url, login_id(account))
        assert ping(off, account) == 401  # asks the database every time
        _wait_for(lambda: ping(short, account) == 401, "the entry to expire", seconds=5)
    finally:
        short.stop()
        off.stop()


def test_a_recognised_token_still_expires(database_url, tmp_path_factory):
    server = _server(
        database_url, tmp_path_factory.mktemp("live-logins-exp"), "exp", ACCESS_TOKEN_TTL="5"
    )
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            account = register_and_login(client)
            warm(account, server)  # verified once, then recognised by its string
            exp = jwt.decode(account.access_token, options={"verify_signature": False})["exp"]
            _wait_for(lambda: time.time() >= exp, "the token's expiry", seconds=10)
            assert ping(server, account) == 401
    finally:
        server.stop()


def test_a_recognised_token_is_recognised_only_whole(servers):
    first, _ = servers
    with httpx.Client(base_url=first.url, timeout=30) as client:
        account = register_and_login(client)
    warm(account, first)
    head, _, signature = account.access_token.rpartition(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for forged in (f"{head}.{flipped}", f"{head}.", head, account.access_token + "x"):
        response = httpx.get(
            f"{first.url}/api/v1/ping", headers={"Authorization": f"Bearer {forged}"}
        )
        assert response.status_code == 401, forged
