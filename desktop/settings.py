"""What the app remembers between runs, through ``QSettings`` (never a token).

Organisation "ExpenseTracker": the registry on Windows, a plist on macOS, an INI
file under ~/.config on Linux. Tests pass their own ``QSettings`` (an INI file).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings

from desktop.filters import Preset

ORGANISATION = "ExpenseTracker"
APPLICATION = "Expense Tracker"
DEFAULT_SERVER = "http://127.0.0.1:8000"
# Where Help → Check for updates asks (a GitHub "latest release" API URL). Unset:
# the feature is off; the environment wins over the saved setting (packagers set it).
UPDATES_URL_ENV = "EXPENSE_TRACKER_UPDATES_URL"
THEMES = ("system", "light", "dark", "high-contrast")


class AppSettings:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings(ORGANISATION, APPLICATION)

    def _get(self, key: str, default: str = "") -> str:
        value = self.store.value(key, default)
        return value if isinstance(value, str) else default

    @property
    def server(self) -> str:
        return self._get("session/server", DEFAULT_SERVER)

    @server.setter
    def server(self, url: str) -> None:
        self.store.setValue("session/server", url.rstrip("/"))

    @property
    def email(self) -> str:
        """The last signed-in account (its refresh token is in the keyring)."""
        return self._get("session/email")

    @email.setter
    def email(self, email: str) -> None:
        self.store.setValue("session/email", email)

    @property
    def view(self) -> str:
        return self._get("window/view", "expenses")

    @view.setter
    def view(self, name: str) -> None:
        self.store.setValue("window/view", name)

    @property
    def preset(self) -> Preset:
        try:
            return Preset(self._get("filters/preset", Preset.ALL_TIME.value))
        except ValueError:
            return Preset.ALL_TIME

    @preset.setter
    def preset(self, preset: Preset) -> None:
        self.store.setValue("filters/preset", preset.value)

    @property
    def theme(self) -> str:
        """One of ``THEMES``; "system" follows the desktop's light or dark palette."""
        theme = self._get("appearance/theme", "system")
        return theme if theme in THEMES else "system"

    @theme.setter
    def theme(self, name: str) -> None:
        self.store.setValue("appearance/theme", name if name in THEMES else "system")

    @property
    def updates_url(self) -> str:
        return os.environ.get(UPDATES_URL_ENV, "").strip() or self._get("updates/url")

    @updates_url.setter
    def updates_url(self, url: str) -> None:
        self.store.setValue("updates/url", url.strip())

    def geometry(self) -> QByteArray | None:
        value = self.store.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def save_geometry(self, geometry: QByteArray, state: QByteArray) -> None:
        self.store.setValue("window/geometry", geometry)
        self.store.setValue("window/state", state)

    def window_state(self) -> QByteArray | None:
        value = self.store.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def sync(self) -> None:
        self.store.sync()
