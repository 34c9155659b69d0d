"""`expense-api rates import FILE` and `rates fetch`, against a database of their own.

The rates table is shared by every account, so these tests count what each run
stores in a fresh database instead of the session's.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import asyncpg
import pytest

from tests.support import REPO_ROOT, fresh_database, migrate, run_sql

RATES_DIR = Path(__file__).parent / "rates"
DAILY = RATES_DIR / "eurofxref.csv"
HISTORY = RATES_DIR / "eurofxref-hist.csv"
REPORT = re.compile(r"(\d+) new, (\d+) changed, (\d+) unchanged; (\d+) waiting expense")


@pytest.fixture(scope="module")
def rates_db(postgres_url: str) -> Iterator[str]:
    with fresh_database(postgres_url, prefix="expense_rates") as url:
        migrate(url)
        yield url


def expense_api(url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "rates", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "APP_ENV": "test", "DATABASE_URL": url, "LOG_LEVEL": "WARNING", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def stored(result: subprocess.CompletedProcess[str]) -> tuple[int, int, int, int]:
    assert result.returncode == 0, result.stderr
    match = REPORT.search(result.stdout)
    assert match, result.stdout
    return tuple(int(group) for group in match.groups())  # type: ignore[return-value]


def zip_of(path: Path, folder: Path) -> Path:
    target = folder / (path.stem + ".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, path.name)
    return target


def rates(url: str) -> dict[tuple[str, date], Decimal]:
    rows = run_sql(url, "SELECT currency, day, eur_rate FROM euro_rate")
    return {(row["currency"], row["day"]): row["eur_rate"] for row in rows}


def test_importing_the_history_twice_plain_then_zipped_stores_it_once(rates_db, tmp_path):
    assert stored(expense_api(rates_db, "import", str(HISTORY))) == (16, 0, 0, 0)
    again = expense_api(rates_db, "import", str(zip_of(HISTORY, tmp_path)))
    assert stored(again) == (0, 0, 16, 0)
    assert "16 rate(s) of 5 currencies from 2022-03-01 to 2024-12-20" in again.stdout
    found = rates(rates_db)
    assert found[("USD", date(2024, 12, 20))] == Decimal("1.0390")
    assert found[("RUB", date(2022, 3, 1))] == Decimal("117.2853")
    assert ("ISK", date(2024, 12, 20)) not in found  # N/A is no rate


def test_importing_the_daily_file_zipped_then_plain_is_idempotent(rates_db, tmp_path):
    assert stored(expense_api(rates_db, "import", str(zip_of(DAILY, tmp_path)))) == (30, 0, 0, 0)
    assert stored(expense_api(rates_db, "import", str(DAILY))) == (0, 0, 30, 0)
    assert rates(rates_db)[("IDR", date(2025, 1, 3))] == Decimal("16723.87")


def test_a_corrected_rate_replaces_the_stored_one(rates_db, tmp_path):
    stored(expense_api(rates_db, "import", str(DAILY)))
    corrected = tmp_path / "eurofxref.csv"
    corrected.write_text(DAILY.read_text().replace(" 1.0321,", " 1.0322,"))
    assert stored(expense_api(rates_db, "import", str(corrected))) == (0, 1, 29, 0)
    assert rates(rates_db)[("USD", date(2025, 1, 3))] == Decimal("1.0322")
    assert stored(expense_api(rates_db, "import", str(DAILY))) == (0, 1, 29, 0)


def test_the_table_is_keyed_by_currency_and_day_and_refuses_nonsense(rates_db):
    (key,) = run_sql(
        rates_db,
        "SELECT array_agg(a.attname::text ORDER BY k.ord) AS columns"
        " FROM pg_constraint c CROSS JOIN unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
        " WHERE c.conrelid = 'euro_rate'::regclass AND c.contype = 'p'",
    )
    assert key["columns"] == ["currency", "day"]
    for currency, rate in (("EUR", "1"), ("usd", "1"), ("USD", "0")):
        with pytest.raises(asyncpg.CheckViolationError):
            run_sql(
                rates_db,
                "INSERT INTO euro_rate (currency, day, eur_rate) VALUES ($1, '2030-01-01', $2)",
                currency,
                Decimal(rate),
            )


def test_a_bad_file_stores_nothing_and_says_why(rates_db, tmp_path):
    before = rates(rates_db)
    bad = tmp_path / "bad.csv"
    bad.write_text("Date,USD,\n2030-01-02,1.0,\n2030-01-03,lots,\n")
    result = expense_api(rates_db, "import", str(bad))
    assert result.returncode == 1
    assert "line 3" in result.stderr
    assert "nothing was stored" in result.stderr
    missing = expense_api(rates_db, "import", str(tmp_path / "missing.csv"))
    assert missing.returncode == 1
    assert "cannot read" in missing.stderr
    assert rates(rates_db) == before


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


@pytest.fixture
def rates_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local http.server thread serving ``tmp_path/site`` (the ECB stand-in)."""
    site = tmp_path / "site"
    site.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_fetch_downloads_the_daily_zip_from_rates_url(rates_db, rates_site, tmp_path):
    base, site = rates_site
    daily = tmp_path / "fetched" / "eurofxref.csv"
    daily.parent.mkdir()
    # A new working day, so the fetch has something new to store.
    daily.write_text(DAILY.read_text().replace("03 January 2025", "06 January 2025"))
    shutil.move(zip_of(daily, tmp_path), site / "eurofxref.zip")
    url = f"{base}/eurofxref.zip"
    assert stored(expense_api(rates_db, "fetch", RATES_URL=url)) == (30, 0, 0, 0)
    assert stored(expense_api(rates_db, "fetch", RATES_URL=url)) == (0, 0, 30, 0)
    assert rates(rates_db)[("JPY", date(2025, 1, 6))] == Decimal("161.53")


def test_fetch_reports_a_failed_download_and_stores_nothing(rates_db, rates_site):
    base, site = rates_site
    before = rates(rates_db)
    result = expense_api(rates_db, "fetch", RATES_URL=f"{base}/nothing-here.zip")
    assert result.returncode == 1
    assert "HTTP 404" in result.stderr
    (site / "page.zip").write_bytes(b"<html>maintenance</html>")
    result = expense_api(rates_db, "fetch", RATES_URL=f"{base}/page.zip")
    assert result.returncode == 1
    assert "header" in result.stderr
    assert rates(rates_db) == before


def test_rates_url_must_be_http(rates_db):
    result = expense_api(rates_db, "fetch", RATES_URL="file:///etc/passwd")
    assert result.returncode == 2
    assert "RATES_URL" in result.stderr
