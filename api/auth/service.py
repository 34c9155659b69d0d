"""Accounts and sessions: what the auth routes do, in terms of the tables."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import msgspec
from piccolo.columns.combination import WhereRaw

from api.auth import security
from api.auth.live_logins import live_logins
from api.auth.tables import User
from api.categories.service import create_default_categories
from api.currencies import service as currencies
from api.database import pool
from api.errors import Problem
from api.piccolo_conf import DB
from api.settings import Settings
from wire.auth import Profile, ProfileUpdate, RegisterRequest, TokenPair

PROFILE_COLUMNS = (User.id, User.email, User.display_name, User.currency, User.created_at)


def _profile(row: dict[str, Any]) -> Profile:
    return Profile(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        currency=row["currency"],
        created_at=row["created_at"],
    )


async def register(data: RegisterRequest) -> Profile:
    password_hash = await security.hash_password(data.password)
    try:
        async with DB.transaction():
            rows = await User.insert(
                User(
                    email=data.email,
                    password_hash=password_hash,
                    display_name=data.display_name,
                    currency=data.currency,
                )
            ).returning(*PROFILE_COLUMNS)
            profile = _profile(rows[0])
            await create_default_categories(profile.id)
    except asyncpg.UniqueViolationError:
        raise Problem(409, "An account with this email already exists.") from None
    return profile


async def find_login(email: str) -> dict[str, Any] | None:
    return (
        await User.select(User.id, User.password_hash)
        .where(WhereRaw("lower(email) = lower({})", email.strip()))
        .first()
    )


def _token_pair(user_id: int, login_id: uuid.UUID, token: str, settings: Settings) -> TokenPair:
    return TokenPair(
        access_token=security.create_access_token(user_id, login_id, settings),
        refresh_token=token,
        expires_in=settings.access_token_ttl,
    )


async def _add_refresh_token(
    conn: asyncpg.Connection, user_id: int, login_id: uuid.UUID, settings: Settings
) -> str:
    token, token_hash = security.new_refresh_token()
    await conn.execute(
        "INSERT INTO refresh_token (user_id, family_id, token_hash, expires_at, created_at) "
        "VALUES ($1, $2, $3, now() + make_interval(secs => $4), now())",
        user_id,
        login_id,
        token_hash,
        float(settings.refresh_token_ttl),
    )
    return token


async def start_login(user_id: int, verified_hash: str, settings: Settings) -> TokenPair | None:
    """A new login and its first token pair; ``None`` if the password changed meanwhile.

    The user row is locked in share mode, so a password change or ``logout-all``
    either happens before (and this login sees the new hash) or waits for it.
    """
    login_id = uuid.uuid4()
    async with pool().acquire() as conn, conn.transaction():
        current = await conn.fetchval(
            "SELECT password_hash FROM app_user WHERE id = $1 FOR SHARE", user_id
        )
        if current != verified_hash:
            return None
        await conn.execute(
            "INSERT INTO login (id, user_id, created_at) VALUES ($1, $2, now())", login_id, user_id
        )
        token = await _add_refresh_token(conn, user_id, login_id, settings)
    return _token_pair(user_id, login_id, token, settings)


async def rehash_password(user_id: int, old_hash: str, password: str) -> None:
    """Store a hash with today's parameters, unless the password changed meanwhile."""
    new_hash = await security.hash_password(password)
    await User.update({User.password_hash: new_hash}).where(
        (User.id == user_id) & (User.password_hash == old_hash)
    )


async def rotate_refresh_token(token: str, settings: Settings) -> TokenPair:
    """Spend ``token`` for a new pair; reusing a spent token revokes its whole login.

    The login row is locked first, as logout and ``logout-all`` lock it: a rotation
    racing a revocation either completes before it (and its new token is revoked
    with the rest) or sees the login revoked.
    """
    token_hash = security.hash_refresh_token(token)
    reused = None
    async with pool().acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            "SELECT t.id, t.user_id, t.family_id, t.used_at, t.expires_at > now() AS live, "
            "l.revoked_at FROM refresh_token t JOIN login l ON l.id = t.family_id "
            "WHERE t.token_hash = $1 FOR UPDATE OF l, t",
            token_hash,
        )
        if row is not None and row["revoked_at"] is None:
            if row["used_at"] is not None:
                await _revoke_logins(conn, "id = $1", row["family_id"])
                reused = row["family_id"]
            elif row["live"]:
                await conn.execute(
                    "UPDATE refresh_token SET used_at = now() WHERE id = $1", row["id"]
                )
                new_token = await _add_refresh_token(
                    conn, row["user_id"], row["family_id"], settings
                )
                return _token_pair(row["user_id"], row["family_id"], new_token, settings)
    if reused is not None:  # committed: this process stops trusting it now, not at the notice
        live_logins.forget(reused)
    raise Problem(401, "The refresh token is invalid, expired or already used.")


async def _revoke_logins(
    conn: asyncpg.Connection, condition: str, value: object
) -> list[uuid.UUID]:
    """Revoke; the caller forgets the returned logins in ``live_logins`` once committed
    (the notice of m0021 tells the other processes, and this one too, a little later)."""
    rows = await conn.fetch(
        f"UPDATE login SET revoked_at = now() WHERE {condition} AND revoked_at IS NULL "
        "RETURNING id",
        value,
    )
    return [row["id"] for row in rows]


async def logout(token: str) -> None:
    async with pool().acquire() as conn:
        revoked = await _revoke_logins(
            conn,
            "id = (SELECT family_id FROM refresh_token WHERE token_hash = $1)",
            security.hash_refresh_token(token),
        )
    for login_id in revoked:
        live_logins.forget(login_id)


async def logout_everywhere(user_id: int) -> None:
    """Every login of the user ends: its access and refresh tokens are 401 from now on."""
    async with pool().acquire() as conn, conn.transaction():
        await conn.execute("SELECT 1 FROM app_user WHERE id = $1 FOR UPDATE", user_id)
        await _revoke_logins(conn, "user_id = $1", user_id)
    live_logins.forget_user(user_id)


async def get_profile(user_id: int) -> Profile:
    row = await User.select(*PROFILE_COLUMNS).where(User.id == user_id).first()
    if row is None:
        raise Problem(401, "The account no longer exists.")
    return _profile(row)


async def update_profile(user_id: int, data: ProfileUpdate) -> Profile:
    async with pool().acquire() as conn, conn.transaction():
        if data.display_name is not msgspec.UNSET:
            await conn.execute(
                "UPDATE app_user SET display_name = $2 WHERE id = $1", user_id, data.display_name
            )
        if data.currency is not msgspec.UNSET:
            await currencies.change_base_currency(conn, user_id, data.currency)
    return await get_profile(user_id)


async def check_password(user_id: int, password: str) -> bool:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return row is not None and await security.verify_password(row["password_hash"], password)


async def set_password(user_id: int, new: str) -> None:
    """Store the new password and end every login, in one transaction."""
    new_hash = await security.hash_password(new)
    async with pool().acquire() as conn, conn.transaction():
        await conn.execute(
            "UPDATE app_user SET password_hash = $2 WHERE id = $1", user_id, new_hash
        )
        await _revoke_logins(conn, "user_id = $1", user_id)
    live_logins.forget_user(user_id)


async def delete_account(user_id: int) -> None:
    # Every table references the user with ON DELETE CASCADE: one statement, all gone.
    await User.delete().where(User.id == user_id)
    live_logins.forget_user(user_id)
