"""``/api/v1/auth/*`` and ``/api/v1/me``: accounts, sessions and profiles."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, patch, post
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from api.auth import service, throttle
from api.auth.security import verify_password
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


class AuthController(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]

    @post(
        "/register",
        exclude_from_auth=True,
        summary="Create an account",
        responses=problem_responses(409, 422),
    )
    async def register(self, data: RegisterRequest) -> Profile:
        return await service.register(data)

    @post(
        "/login",
        exclude_from_auth=True,
        status_code=HTTP_200_OK,
        summary="Sign in",
        responses=problem_responses(401, 422, 429),
    )
    async def login(self, request: Request, data: LoginRequest, settings: Settings) -> TokenPair:
        # Behind the load balancer this is X-Forwarded-For, believed only from
        # FORWARDED_ALLOW_IPS (see `expense-api serve`).
        address = request.client.host if request.client else "unknown"
        blocked = await throttle.begin_attempt(data.email, address)
        if blocked is not None:
            raise Problem(
                429,
                "Too many failed sign-in attempts. Try again later.",
                headers={"Retry-After": str(blocked.retry_after)},
            )
        account = await service.find_login(data.email)
        password_hash = account["password_hash"] if account else None
        if account is None or not await verify_password(password_hash, data.password):
            # The attempt stays counted against the account and the address.
            raise Problem(401, "The email or password is not correct.")
        await throttle.record_success(data.email, address)
        return await service.issue_tokens(account["id"], settings)

    @post(
        "/refresh",
        exclude_from_auth=True,
        status_code=HTTP_200_OK,
        summary="Rotate tokens",
        responses=problem_responses(401, 422),
    )
    async def refresh(self, data: RefreshRequest, settings: Settings) -> TokenPair:
        return await service.rotate_refresh_token(data.refresh_token, settings)

    @post(
        "/logout",
        exclude_from_auth=True,
        status_code=HTTP_204_NO_CONTENT,
        summary="Sign out",
        responses=problem_responses(422),
    )
    async def logout(self, data: RefreshRequest) -> None:
        await service.logout(data.refresh_token)


class MeController(Controller):
    path = "/api/v1/me"
    tags = ["auth"]

    @get(summary="Your profile", responses=problem_responses(401))
    async def get_profile(self, user_id: int) -> Profile:
        return await service.get_profile(user_id)

    @patch(
        summary="Change display name or currency",
        responses=problem_responses(401, 422),
    )
    async def update_profile(self, user_id: int, data: ProfileUpdate) -> Profile:
        return await service.update_profile(user_id, data)

    @post(
        "/password",
        status_code=HTTP_204_NO_CONTENT,
        summary="Change password",
        responses=problem_responses(401, 403, 422),
    )
    async def change_password(self, user_id: int, data: PasswordChange) -> None:
        await service.change_password(user_id, data.current_password, data.new_password)

    @delete(
        status_code=HTTP_204_NO_CONTENT,
        summary="Delete the account and all its data",
        responses=problem_responses(401),
    )
    async def delete_account(self, user_id: int) -> None:
        await service.delete_account(user_id)
