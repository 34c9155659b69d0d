"""Accounts and sessions: register, login, refresh, logout, the profile, the version."""

from __future__ import annotations

import msgspec

from desktop.client.http import API, Transport
from wire.auth import Profile, TokenPair
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
