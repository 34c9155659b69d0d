from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from wire.validation import (
    CURRENCY_PATTERN,
    EMAIL_PATTERN,
    MAX_DISPLAY_NAME,
    MAX_EMAIL,
    check_currency,
    check_email,
)

Password = Annotated[str, msgspec.Meta(min_length=8, max_length=1024)]
Currency = Annotated[str, msgspec.Meta(pattern=CURRENCY_PATTERN, description="ISO 4217 code")]
DisplayName = Annotated[str, msgspec.Meta(max_length=MAX_DISPLAY_NAME)]


class RegisterRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[
        str, msgspec.Meta(max_length=MAX_EMAIL, pattern=EMAIL_PATTERN, examples=["ada@example.com"])
    ]
    password: Password
    display_name: DisplayName = ""
    currency: Currency = "USD"

    def __post_init__(self) -> None:
        self.email = check_email(self.email)
        self.currency = check_currency(self.currency)
        self.display_name = self.display_name.strip()


class LoginRequest(msgspec.Struct):
    email: Annotated[str, msgspec.Meta(max_length=MAX_EMAIL)]
    password: Annotated[str, msgspec.Meta(max_length=1024)]


class RefreshRequest(msgspec.Struct):
    refresh_token: Annotated[str, msgspec.Meta(max_length=200)]


class TokenPair(msgspec.Struct):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"  # noqa: S105  (the OAuth token type, not a secret)


class Profile(msgspec.Struct):
    id: int
    email: str
    display_name: str
    currency: str
    created_at: datetime


class ProfileUpdate(msgspec.Struct, forbid_unknown_fields=True):
    display_name: DisplayName | msgspec.UnsetType = msgspec.UNSET
    # A new base currency converts every expense again (API.md), in one transaction.
    currency: Currency | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.currency, str):
            self.currency = check_currency(self.currency)


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Annotated[str, msgspec.Meta(max_length=1024)]
    new_password: Password
