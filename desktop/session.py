"""Who is signed in, and how a session survives a restart.

Only the refresh token is persisted, and only in the OS keyring. When no keyring
works (a headless Linux box, a locked-down desktop) nothing is persisted at all and
the user signs in each session: a token is never written to disk in plain text.
The access token lives in memory only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors

from desktop.client import ApiClient
from desktop.errors import ApiError
from wire.auth import Profile, TokenPair

logger = logging.getLogger(__name__)
KEYRING_SERVICE = "ExpenseTracker"


class TokenStore:
    """The refresh token of one (server, email) in the keyring, or nowhere."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._backend = backend
        self.available = True  # flips to False on the first keyring failure

    def _ring(self) -> keyring.backend.KeyringBackend:
        return self._backend or keyring.get_keyring()

    @staticmethod
    def _key(server: str, email: str) -> str:
        return f"{server.rstrip('/')}|{email.lower()}"

    def load(self, server: str, email: str) -> str | None:
        try:
            return self._ring().get_password(KEYRING_SERVICE, self._key(server, email))
        except Exception as error:  # any backend failure means "no stored session"
            self._unavailable(error)
            return None

    def save(self, server: str, email: str, refresh_token: str) -> bool:
        if not self.available:
            return False
        try:
            self._ring().set_password(KEYRING_SERVICE, self._key(server, email), refresh_token)
        except Exception as error:
            self._unavailable(error)
            return False
        return True

    def forget(self, server: str, email: str) -> None:
        try:
            self._ring().delete_password(KEYRING_SERVICE, self._key(server, email))
        except keyring.errors.PasswordDeleteError:
            pass  # nothing stored: already forgotten
        except Exception as error:
            self._unavailable(error)

    def _unavailable(self, error: Exception) -> None:
        if self.available:
            logger.warning("No usable keyring (%s); sessions will not be remembered.", error)
        self.available = False


@dataclass
class Session:
    """The signed-in account. Methods block: call them from a worker."""

    client: ApiClient
    store: TokenStore
    email: str = ""
    profile: Profile | None = None
    remember: bool = True

    def __post_init__(self) -> None:
        self.client.on_tokens = self._tokens_changed

    @property
    def server(self) -> str:
        return self.client.base_url

    def use_server(self, url: str) -> None:
        """Talk to another server from now on (the sign-in dialog's server field)."""
        url = url.strip().rstrip("/")
        if url == self.server:
            return
        self.client.close()
        self.client = ApiClient(url)
        self.client.on_tokens = self._tokens_changed

    def _tokens_changed(self, tokens: TokenPair | None) -> None:
        # Refresh tokens rotate on every use; keep the keyring on the newest one.
        if tokens is not None and self.email and self.remember:
            self.store.save(self.server, self.email, tokens.refresh_token)

    def sign_in(self, email: str, password: str) -> Profile:
        self.email = email.strip()
        self.client.login(self.email, password)
        self.profile = self.client.me()
        return self.profile

    def sign_up(self, email: str, password: str, display_name: str, currency: str) -> Profile:
        self.client.register(email.strip(), password, display_name.strip(), currency)
        return self.sign_in(email, password)

    def resume(self, email: str) -> Profile | None:
        """Sign in silently with the stored refresh token; None if there is none."""
        token = self.store.load(self.server, email) if email else None
        if not token:
            return None
        self.email = email
        self.client.refresh(token)
        self.profile = self.client.me()
        return self.profile

    def adopt(self, email: str, tokens: TokenPair) -> Profile:
        """Use tokens obtained elsewhere (the demo launcher)."""
        self.email = email
        self.client.set_tokens(tokens)
        self.profile = self.client.me()
        return self.profile

    def sign_out(self) -> bool:
        """Forget the session here, then revoke it on the server.

        False when the server did not confirm (unreachable, or it refused): the
        session is gone here either way, but its refresh token stays valid on the
        server until it expires, which the caller must tell the user. Anything
        other than an API error is a bug and propagates.
        """
        email, self.email, self.profile = self.email, "", None
        self.store.forget(self.server, email)
        try:
            self.client.logout()
        except ApiError as error:
            logger.warning("logout request failed: %s", error)
            return False
        return True
