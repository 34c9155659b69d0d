"""Typed settings, read once from the environment (twelve-factor).

Nothing else in the API reads ``os.environ``: every knob an operator can turn is
listed here, which is also what the deployment manifests are checked against.
"""

from __future__ import annotations

import functools
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
APP_ENVS = ("development", "test", "production")
MIN_PRODUCTION_SECRET_BYTES = 32
# The ECB's euro reference rates of the latest working day, zipped (`rates fetch`).
ECB_DAILY_RATES_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref.zip"
# A fixed development key keeps tokens valid across restarts of `make demo`; the
# production check below refuses to start with it.
DEVELOPMENT_JWT_SECRET = "development-only-secret-never-use-in-production"  # noqa: S105


class SettingsError(ValueError):
    """The environment describes a configuration the server must not start with."""


@dataclass(frozen=True, slots=True)
class Settings:
    app_env: str = "development"
    database_url: str | None = None
    data_dir: Path = field(
        default_factory=lambda: Path(platformdirs.user_data_dir("expense-tracker"))
    )
    jwt_secret: str = field(default=DEVELOPMENT_JWT_SECRET, repr=False)
    jwt_issuer: str = "expense-tracker"
    jwt_audience: str = "expense-tracker-api"
    access_token_ttl: int = 15 * 60
    refresh_token_ttl: int = 30 * 24 * 3600
    log_level: str = "INFO"
    forwarded_allow_ips: str = "127.0.0.1"
    shutdown_grace_seconds: int = 20
    db_pool_min_size: int = 2
    db_pool_max_size: int = 10
    db_timeout_seconds: float = 4.0
    max_import_bytes: int = 5 * 1024 * 1024
    max_import_rows: int = 50_000
    max_json_bytes: int = 64 * 1024
    # Per client address; the contract allows between 20 and 100 an hour.
    register_limit_per_hour: int = 50
    # argon2 hashes in flight per process (each holds ~19 MiB while it runs).
    password_hash_concurrency: int = 4
    # A streamed export ends when its reader takes nothing for this long, and in
    # any case after export_timeout_seconds; each user runs at most this many.
    export_idle_seconds: int = 30
    export_timeout_seconds: int = 3600
    exports_per_user: int = 2
    # How long a process trusts a login it found live (LISTEN/NOTIFY forgets it at
    # once when it ends); 0 asks the database on every request.
    auth_cache_seconds: int = 60
    # Where `expense-api rates fetch` downloads the euro reference rates from.
    rates_url: str = ECB_DAILY_RATES_URL

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None


# Environment variable → (field name, parser). The infra tests import this map to
# prove the manifests set no variable the API does not read.
def _positive_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(
            f"{name} must be a whole number of seconds or items, got {raw!r}"
        ) from None
    if value <= 0:
        raise SettingsError(f"{name} must be positive, got {value}")
    return value


def _non_negative_int(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative, got {value}")
    return value


def _positive_float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not value > 0:
        raise SettingsError(f"{name} must be positive, got {raw!r}")
    return value


def _choice(choices: tuple[str, ...], *, upper: bool) -> object:
    def parse(name: str, raw: str) -> str:
        value = raw.strip().upper() if upper else raw.strip().lower()
        if value not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
        return value

    return parse


def _text(name: str, raw: str) -> str:
    return raw


def _optional_text(name: str, raw: str) -> str | None:
    return raw.strip() or None


def _path(name: str, raw: str) -> Path:
    return Path(raw).expanduser()


def _http_url(name: str, raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SettingsError(f"{name} must be an http(s) URL, got {raw!r}")
    return raw.strip()


def _trusted_proxies(name: str, raw: str) -> str:
    entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
    for entry in entries:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SettingsError(
                f"{name} entries must be IP addresses or networks, got {entry!r}"
            ) from None
    return ",".join(entries)


ENVIRONMENT = {
    "APP_ENV": ("app_env", _choice(APP_ENVS, upper=False)),
    "DATABASE_URL": ("database_url", _optional_text),
    "EXPENSE_DATA_DIR": ("data_dir", _path),
    "JWT_SECRET": ("jwt_secret", _text),
    "JWT_ISSUER": ("jwt_issuer", _text),
    "JWT_AUDIENCE": ("jwt_audience", _text),
    "ACCESS_TOKEN_TTL": ("access_token_ttl", _positive_int),
    "REFRESH_TOKEN_TTL": ("refresh_token_ttl", _positive_int),
    "LOG_LEVEL": ("log_level", _choice(LOG_LEVELS, upper=True)),
    "FORWARDED_ALLOW_IPS": ("forwarded_allow_ips", _trusted_proxies),
    "SHUTDOWN_GRACE_SECONDS": ("shutdown_grace_seconds", _positive_int),
    "DB_POOL_MIN_SIZE": ("db_pool_min_size", _positive_int),
    "DB_POOL_MAX_SIZE": ("db_pool_max_size", _positive_int),
    "DB_TIMEOUT_SECONDS": ("db_timeout_seconds", _positive_float),
    "MAX_IMPORT_BYTES": ("max_import_bytes", _positive_int),
    "MAX_IMPORT_ROWS": ("max_import_rows", _positive_int),
    "MAX_JSON_BYTES": ("max_json_bytes", _positive_int),
    "REGISTER_LIMIT_PER_HOUR": ("register_limit_per_hour", _positive_int),
    "PASSWORD_HASH_CONCURRENCY": ("password_hash_concurrency", _positive_int),
    "EXPORT_IDLE_SECONDS": ("export_idle_seconds", _positive_int),
    "EXPORT_TIMEOUT_SECONDS": ("export_timeout_seconds", _positive_int),
    "EXPORTS_PER_USER": ("exports_per_user", _positive_int),
    "AUTH_CACHE_SECONDS": ("auth_cache_seconds", _non_negative_int),
    "RATES_URL": ("rates_url", _http_url),
}


def settings_from_env(environ: Mapping[str, str]) -> Settings:
    """Build settings from an environment mapping, refusing unsafe production setups."""
    values: dict[str, object] = {}
    for variable, (field_name, parse) in ENVIRONMENT.items():
        raw = environ.get(variable)
        if raw is not None and raw != "":
            values[field_name] = parse(variable, raw)
    settings = Settings(**values)  # type: ignore[arg-type]
    _check_consistency(settings, secret_given="jwt_secret" in values)
    return settings


def _check_consistency(settings: Settings, *, secret_given: bool) -> None:
    if settings.db_pool_min_size > settings.db_pool_max_size:
        raise SettingsError("DB_POOL_MIN_SIZE must not exceed DB_POOL_MAX_SIZE")
    if not settings.is_production:
        return
    if not secret_given:
        raise SettingsError("JWT_SECRET is required when APP_ENV=production")
    if len(settings.jwt_secret.encode()) < MIN_PRODUCTION_SECRET_BYTES:
        raise SettingsError(
            f"JWT_SECRET must be at least {MIN_PRODUCTION_SECRET_BYTES} bytes "
            "when APP_ENV=production"
        )
    if settings.jwt_secret == DEVELOPMENT_JWT_SECRET:
        raise SettingsError("JWT_SECRET must not be the development default in production")
    if "*" in settings.forwarded_allow_ips.split(","):
        raise SettingsError(
            "FORWARDED_ALLOW_IPS must list the load balancer's addresses in production; "
            "'*' would let any client choose the address it is throttled as"
        )
    if urlsplit(settings.rates_url).scheme != "https":
        # Rates decide how much every foreign expense is worth: never over plain HTTP.
        raise SettingsError("RATES_URL must be an https URL when APP_ENV=production")
    if settings.database_url is None:
        raise SettingsError(
            "DATABASE_URL is required when APP_ENV=production "
            "(the embedded database is for development only)"
        )


@functools.cache
def get_settings() -> Settings:
    """The process-wide settings, read from ``os.environ`` on first use."""
    return settings_from_env(os.environ)
