"""``/api/v1/auth/*`` and ``/api/v1/me``: accounts, sessions and profiles."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from api.auth import service, throttle
from api.auth.security import needs_rehash, verify_password
from api.errors import Problem
from api.openapi import problem_responses
from api.settings import Settings
from wire.auth import (
    LoginRequest,
    PasswordChange,
    Profile,
    ProfileUpdate,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
)


def client_address(request: Request) -> str:
    # Behind the load balancer this is X-Forwarded-For, believed only from
    # FORWARDED_ALLOW_IPS (see `expense-api serve`).
    return request.client.host if request.client else "unknown"


def _too_many(detail: str, blocked: throttle.Throttled) -> Problem:
    return Problem(429, detail, headers={"Retry-After": str(blocked.retry_after)})


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/register",
        exclude_from_auth=True,
        summary="Create an account",
        responses=problem_responses(409, 422, 429),
    )
    async def register(
        self, request: Request, data: JSONBody[RegisterRequest], settings: NamedDependency[Settings]
    ) -> Profile:
        blocked = await throttle.reserve(
            throttle.register_subject(client_address(request)),
            settings.register_limit_per_hour,
            throttle.REGISTER_WINDOW_SECONDS,
        )
        if blocked is not None:
            raise _too_many("Too many accounts were created from your address.", blocked)
        return await service.register(data)

    @post(
        "/login",
        exclude_from_auth=True,
        status_code=HTTP_200_OK,
        summary="Sign in",
        responses=problem_responses(401, 422, 429),
    )
    async def login(
        self, request: Request, data: JSONBody[LoginRequest], settings: NamedDependency[Settings]
    ) -> TokenPair:
        address = client_address(request)
        account = await service.find_login(data.email)
        subject = throttle.account_subject(account["id"] if account else None, data.email)
        blocked = await throttle.begin_login(subject, address)
        if blocked is not None:
            raise _too_many("Too many failed sign-in attempts. Try again later.", blocked)
        password_hash = account["password_hash"] if account else None
        if account is None or not await verify_password(password_hash, data.password):
            # The attempt stays counted against the account and the address.
            raise Problem(401, "The email or password is not correct.")
        await throttle.login_succeeded(subject, address)
        tokens = await service.start_login(account["id"], password_hash, settings)
        if tokens is None:  # the password changed while this one was being checked
            raise Problem(401, "The email or password is not correct.")
        if needs_rehash(password_hash):
            await service.rehash_password(account["id"], password_hash, data.password)
        return tokens

    @post(
        "/refresh",
        exclude_from_auth=True,
        status_code=HTTP_200_OK,
        summary="Rotate tokens",
        responses=problem_responses(401, 422),
    )
    async def refresh(
        self, data: JSONBody[RefreshRequest], settings: NamedDependency[Settings]
    ) -> TokenPair:
        return await service.rotate_refresh_token(data.refresh_token, settings)

    @post(
        "/logout",
        exclude_from_auth=True,
        status_code=HTTP_204_NO_CONTENT,
        summary="Sign out",
        responses=problem_responses(422),
    )
    async def logout(self, data: JSONBody[RefreshRequest]) -> None:
        await service.logout(data.refresh_token)


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["auth"]

    @get(summary="Your profile", responses=problem_responses(401))
    async def get_profile(self, user_id: NamedDependency[int]) -> Profile:
        return await service.get_profile(user_id)

    @patch(
        summary="Change display name or currency",
        responses=problem_responses(401, 422),
    )
    async def update_profile(
        self, user_id: NamedDependency[int], data: JSONBody[ProfileUpdate]
    ) -> Profile:
        return await service.update_profile(user_id, data)

    @post(
        "/password",
        status_code=HTTP_204_NO_CONTENT,
        summary="Change password",
        responses=problem_responses(401, 403, 422, 429),
        description="Every login of the account ends: its access and refresh tokens are "
        "refused from then on. After 10 wrong current passwords within 15 minutes the "
        "answer is 429 with `Retry-After`.",
    )
    async def change_password(
        self, user_id: NamedDependency[int], data: JSONBody[PasswordChange]
    ) -> None:
        subject = throttle.password_subject(user_id)
        blocked = await throttle.reserve(subject, throttle.MAX_PASSWORD_FAILURES)
        if blocked is not None:
            raise _too_many("Too many wrong passwords. Try again later.", blocked)
        if not await service.check_password(user_id, data.current_password):
            raise Problem(403, "The current password is not correct.")
        await throttle.clear(subject)
        await service.set_password(user_id, data.new_password)

    @post(
        "/logout-all",
        status_code=HTTP_204_NO_CONTENT,
        summary="Sign out everywhere",
        responses=problem_responses(401),
        description="Ends every login of the account, this one included: every access and "
        "refresh token issued before is refused from then on.",
    )
    async def logout_all(self, user_id: NamedDependency[int]) -> None:
        await service.logout_everywhere(user_id)

    @delete(
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete the account and all its data",
        responses=problem_responses(401),
    )
    async def delete_account(self, user_id: NamedDependency[int]) -> None:
        await service.delete_account(user_id)
