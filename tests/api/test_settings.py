"""Settings come from the environment; production refuses unsafe ones at start."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from api.settings import SettingsError, settings_from_env
from tests.support import REPO_ROOT, TEST_JWT_SECRET, ApiServer

PRODUCTION = {
    "APP_ENV": "production",
    "JWT_SECRET": "s" * 32,
    "DATABASE_URL": "postgresql://app@db.internal:5432/expenses",
}


def test_defaults_are_a_development_setup():
    settings = settings_from_env({})
    assert settings.app_env == "development"
    assert settings.uses_embedded_database
    assert settings.log_level == "INFO"


@pytest.mark.parametrize("raw", ["debug", "Debug", "DEBUG", " warning "])
def test_log_level_accepts_any_case(raw):
    assert settings_from_env({"LOG_LEVEL": raw}).log_level == raw.strip().upper()


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"ACCESS_TOKEN_TTL": "0"}, "ACCESS_TOKEN_TTL"),
        ({"REFRESH_TOKEN_TTL": "a month"}, "REFRESH_TOKEN_TTL"),
        ({"APP_ENV": "staging"}, "APP_ENV"),
        ({"FORWARDED_ALLOW_IPS": "10.0.0.1,proxy.local"}, "FORWARDED_ALLOW_IPS"),
        ({"DB_POOL_MIN_SIZE": "20", "DB_POOL_MAX_SIZE": "5"}, "DB_POOL_MIN_SIZE"),
        ({"RATES_URL": "file:///etc/passwd"}, "RATES_URL"),
        ({"RATES_URL": "https://"}, "RATES_URL"),
    ],
)
def test_invalid_values_are_refused_naming_the_variable(environ, message):
    with pytest.raises(SettingsError, match=message):
        settings_from_env(environ)


def test_ttls_and_trusted_proxies_are_read():
    settings = settings_from_env(
        {"ACCESS_TOKEN_TTL": "60", "FORWARDED_ALLOW_IPS": "10.0.0.0/8, 192.168.1.1"}
    )
    assert settings.access_token_ttl == 60
    assert settings.forwarded_allow_ips == "10.0.0.0/8,192.168.1.1"


def test_a_complete_production_environment_is_accepted():
    settings = settings_from_env(PRODUCTION)
    assert settings.is_production
    assert not settings.uses_embedded_database
    assert settings.rates_url == "https://www.ecb.europa.eu/stats/eurofxref/eurofxref.zip"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"JWT_SECRET": None}, "JWT_SECRET is required"),
        ({"JWT_SECRET": ""}, "JWT_SECRET is required"),
        ({"JWT_SECRET": "s" * 31}, "at least 32 bytes"),
        ({"DATABASE_URL": None}, "DATABASE_URL is required"),
        ({"RATES_URL": "http://www.ecb.europa.eu/stats/eurofxref/eurofxref.zip"}, "https"),
    ],
)
def test_production_refuses_unsafe_settings(change, message):
    environ = {k: v for k, v in {**PRODUCTION, **change}.items() if v is not None}
    with pytest.raises(SettingsError, match=message):
        settings_from_env(environ)


def test_the_development_secret_is_refused_in_production():
    from api.settings import DEVELOPMENT_JWT_SECRET

    with pytest.raises(SettingsError, match="development default"):
        settings_from_env({**PRODUCTION, "JWT_SECRET": DEVELOPMENT_JWT_SECRET})


def serve(environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The parent's database and secret must not leak into the refused setups.
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "JWT_SECRET")}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--port", "1"],
        cwd=REPO_ROOT,
        env={**base, **environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DATABASE_URL": PRODUCTION["DATABASE_URL"]}, "JWT_SECRET is required"),
        (
            {"DATABASE_URL": PRODUCTION["DATABASE_URL"], "JWT_SECRET": "too-short"},
            "JWT_SECRET must be at least 32 bytes",
        ),
        ({"JWT_SECRET": TEST_JWT_SECRET}, "DATABASE_URL is required"),
    ],
)
def test_production_server_refuses_to_start(environ, message):
    result = serve({"APP_ENV": "production", **environ})
    assert result.returncode != 0
    assert message in result.stderr
    assert "configuration error" in result.stderr
    assert "Traceback" not in result.stderr  # a clear message, not a crash


def test_a_server_that_cannot_reach_its_database_starts_not_ready(tmp_path):
    # Crash-looping would only add restarts to an outage: the pod starts, answers
    # its liveness probe, and stays out of the load balancer until the database
    # answers (tests/api/test_faults.py shows it recovering).
    server = ApiServer(
        f"postgresql://nobody@/none?host={tmp_path}",
        tmp_path / "server.log",
        extra_env={"APP_ENV": "production", "DB_TIMEOUT_SECONDS": "1"},
    ).start()
    try:
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200
        ready = httpx.get(f"{server.url}/ready", timeout=10)
        assert ready.status_code == 503
        assert int(ready.headers["retry-after"]) > 0
    finally:
        server.stop()


def test_a_wildcard_proxy_list_is_refused_in_production():
    with pytest.raises(SettingsError, match="FORWARDED_ALLOW_IPS"):
        settings_from_env({**PRODUCTION, "FORWARDED_ALLOW_IPS": "10.0.0.0/8,*"})
    assert settings_from_env({"FORWARDED_ALLOW_IPS": "*"}).forwarded_allow_ips == "*"
