"""Accounts and sessions: what the auth routes do, in terms of the tables."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import msgspec
from piccolo.columns.combination import WhereRaw

from api.auth import security
from api.auth.tables import RefreshToken, User
from api.categories.service import create_default_categories
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


async def issue_tokens(
    user_id: int, settings: Settings, family_id: uuid.UUID | None = None
) -> TokenPair:
    token, token_hash = security.new_refresh_token()
    await RefreshToken.insert(
        RefreshToken(
            user_id=user_id,
            family_id=family_id or uuid.uuid4(),
            token_hash=token_hash,
            expires_at=datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl),
        )
    )
    return TokenPair(
        access_token=security.create_access_token(user_id, settings),
        refresh_token=token,
        expires_in=settings.access_token_ttl,
    )


async def rotate_refresh_token(token: str, settings: Settings) -> TokenPair:
    """Spend ``token`` for a new pair; reusing a spent token revokes its whole login."""
    token_hash = security.hash_refresh_token(token)
    now = datetime.now(UTC)
    async with DB.transaction():
        spent = await (
            RefreshToken.update({RefreshToken.used_at: now})
            .where(
                (RefreshToken.token_hash == token_hash)
                & RefreshToken.used_at.is_null()
                & RefreshToken.revoked_at.is_null()
                & (RefreshToken.expires_at > now)
            )
            .returning(RefreshToken.user_id, RefreshToken.family_id)
        )
        if spent:
            return await issue_tokens(spent[0]["user_id"], settings, spent[0]["family_id"])
        known = await (
            RefreshToken.select(RefreshToken.family_id, RefreshToken.used_at)
            .where(RefreshToken.token_hash == token_hash)
            .first()
        )
        if known is not None and known["used_at"] is not None:
            await revoke_family(known["family_id"])
    raise Problem(401, "The refresh token is invalid, expired or already used.")


async def revoke_family(family_id: uuid.UUID) -> None:
    await RefreshToken.update({RefreshToken.revoked_at: datetime.now(UTC)}).where(
        (RefreshToken.family_id == family_id) & RefreshToken.revoked_at.is_null()
    )


async def logout(token: str) -> None:
    known = await (
        RefreshToken.select(RefreshToken.family_id)
        .where(RefreshToken.token_hash == security.hash_refresh_token(token))
        .first()
    )
    if known is not None:
        await revoke_family(known["family_id"])


async def get_profile(user_id: int) -> Profile:
    row = await User.select(*PROFILE_COLUMNS).where(User.id == user_id).first()
    if row is None:
        raise Problem(401, "The account no longer exists.")
    return _profile(row)


async def update_profile(user_id: int, data: ProfileUpdate) -> Profile:
    changes = {
        column: value
        for column, value in (
            (User.display_name, data.display_name),
            (User.currency, data.currency),
        )
        if value is not msgspec.UNSET
    }
    if changes:
        await User.update(changes).where(User.id == user_id)
    return await get_profile(user_id)


async def change_password(user_id: int, current: str, new: str) -> None:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    if row is None or not await security.verify_password(row["password_hash"], current):
        raise Problem(403, "The current password is not correct.")
    new_hash = await security.hash_password(new)
    async with DB.transaction():
        await User.update({User.password_hash: new_hash}).where(User.id == user_id)
        await RefreshToken.update({RefreshToken.revoked_at: datetime.now(UTC)}).where(
            (RefreshToken.user_id == user_id) & RefreshToken.revoked_at.is_null()
        )


async def delete_account(user_id: int) -> None:
    # Every table references the user with ON DELETE CASCADE: one statement, all gone.
    await User.delete().where(User.id == user_id)
