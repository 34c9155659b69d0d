"""Accounts and sessions: register, login, refresh, logout, the profile, the version.

The account calls (profile, password, logout-all, delete) are the Account dialog's.
"""

from __future__ import annotations

import msgspec

from desktop.client.http import API, Transport
from wire.auth import PasswordChange, Profile, ProfileUpdate, TokenPair
from wire.service import ServerVersion


class AuthCalls(Transport):
    def register(
        self, email: str, password: str, display_name: str = "", currency: str = "USD"
    ) -> Profile:
        body = {"email": email, "password": password, "display_name": display_name}
        body["currency"] = currency
        return self._json("POST", f"{API}/auth/register", body, Profile, auth=False)

    def login(self, email: str, password: str) -> TokenPair:
        body = {"email": email, "password": password}
        tokens = self._json("POST", f"{API}/auth/login", body, TokenPair, auth=False)
        self.set_tokens(tokens)
        return tokens

    def refresh(self, refresh_token: str) -> TokenPair:
        body = {"refresh_token": refresh_token}
        tokens = self._json("POST", f"{API}/auth/refresh", body, TokenPair, auth=False)
        self.set_tokens(tokens)
        return tokens

    def logout(self) -> None:
        tokens, self._tokens = self._tokens, None
        if tokens is not None:
            body = msgspec.json.encode({"refresh_token": tokens.refresh_token})
            headers = {"Content-Type": "application/json"}
            self._send("POST", f"{API}/auth/logout", auth=False, content=body, headers=headers)

    def me(self) -> Profile:
        return self._get(f"{API}/me", Profile)

    def server_version(self) -> str:
        """The API's version (public: answered without a session)."""
        return self._get(f"{API}/version", ServerVersion, auth=False).version

    def update_profile(
        self,
        display_name: str | msgspec.UnsetType = msgspec.UNSET,
        currency: str | msgspec.UnsetType = msgspec.UNSET,
    ) -> Profile:
        body = ProfileUpdate(display_name=display_name, currency=currency)
        return self._json("PATCH", f"{API}/me", body, Profile)

    def change_password(self, current_password: str, new_password: str) -> None:
        """204, and the server ends every login of the account, this one included.

        403: the current password is wrong; 429 (``retry_after``): too many tries.
        """
        body = msgspec.json.encode(PasswordChange(current_password, new_password))
        headers = {"Content-Type": "application/json"}
        self._send("POST", f"{API}/me/password", content=body, headers=headers)

    def logout_all(self) -> None:
        """End every login of the account (this one too): its tokens get 401 from now."""
        self._send("POST", f"{API}/me/logout-all")
        self._tokens = None

    def delete_account(self) -> None:
        """Delete the account and all its data; its tokens get 401 from now."""
        self._send("DELETE", f"{API}/me")
        self._tokens = None
