"""The ECB file reader: both layouts, plain or zipped, and what it refuses (no database)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from api.currencies import ecb
from api.currencies.ecb import PublishedRate, RatesFileError, read_rates

RATES_DIR = Path(__file__).parent / "rates"
DAILY = (RATES_DIR / "eurofxref.csv").read_bytes()
HISTORY = (RATES_DIR / "eurofxref-hist.csv").read_bytes()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def as_dict(rates: list[PublishedRate]) -> dict[tuple[str, date], Decimal]:
    return {(rate.currency, rate.day): rate.eur_rate for rate in rates}


def test_the_daily_layout_with_spaces_and_trailing_commas():
    rates = as_dict(read_rates(DAILY))
    assert len(rates) == 30
    assert {day for _, day in rates} == {date(2025, 1, 3)}
    assert rates[("USD", date(2025, 1, 3))] == Decimal("1.0321")
    assert rates[("IDR", date(2025, 1, 3))] == Decimal("16723.87")
    assert str(rates[("GBP", date(2025, 1, 3))]) == "0.82830"  # digits kept as published


def test_the_history_layout_skips_not_available_cells():
    rates = read_rates(HISTORY)
    found = as_dict(rates)
    assert len(found) == 16
    assert found[("RUB", date(2022, 3, 1))] == Decimal("117.2853")
    assert ("RUB", date(2024, 12, 20)) not in found
    assert ("ISK", date(2024, 12, 20)) not in found
    assert [rate.day for rate in rates] == sorted(rate.day for rate in rates)  # oldest first


@pytest.mark.parametrize("name", ["eurofxref.csv", "eurofxref-hist.csv"])
def test_a_zipped_file_reads_like_the_plain_one(name):
    plain = (RATES_DIR / name).read_bytes()
    assert read_rates(zipped({name: plain})) == read_rates(plain)


def test_a_byte_order_mark_and_windows_line_ends_are_fine():
    text = b"\xef\xbb\xbfDate,USD,\r\n2024-12-20,1.0390,\r\n"
    assert read_rates(text) == [PublishedRate("USD", date(2024, 12, 20), Decimal("1.0390"))]


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"", "header"),
        (b"Day,USD\n2024-12-20,1.0\n", "header"),
        (b"Date,EUR\n2024-12-20,1.0\n", "EUR"),
        (b"Date,usd\n2024-12-20,1.0\n", "currency code"),
        (b"Date,USD,USD\n2024-12-20,1.0,1.0\n", "named twice"),
        (b"Date,USD\n", "no rates"),
        (b"Date,USD\n2024-12-20,N/A\n", "no rates"),
        (b"Date,USD\n20 Decembre 2024,1.0\n", "not a date"),
        (b"Date,USD\n2024-02-30,1.0\n", "not a date"),
        (b"Date,USD\n1899-12-31,1.0\n", "outside"),
        (b"Date,USD\n2024-12-20,0\n", "positive decimal"),
        (b"Date,USD\n2024-12-20,-1.0\n", "positive decimal"),
        (b"Date,USD\n2024-12-20,1e3\n", "positive decimal"),
        (b"Date,USD\n2024-12-20,1_000\n", "positive decimal"),
        (b"Date,USD\n2024-12-20,\xd9\xa1\n", "positive decimal"),  # an Arabic-Indic digit
        (b"Date,USD\n2024-12-20,12345678901\n", "positive decimal"),
        (b"Date,USD\n2024-12-20,1.12345678901\n", "positive decimal"),
        (b"Date,USD\n2024-12-20,1.0,2.0\n", "more cells"),
        (b"Date,USD\n2024-12-20,1.0\n2024-12-20,1.1\n", "two different"),
        (b"Date,USD\n2024-12-20,\xff\n", "UTF-8"),
    ],
)
def test_a_file_that_is_not_a_rates_file_is_refused_with_a_reason(content, complaint):
    with pytest.raises(RatesFileError, match=complaint):
        read_rates(content)


def test_the_same_rate_twice_is_fine():
    text = b"Date,USD\n2024-12-20,1.0390\n2024-12-20,1.039\n"
    assert read_rates(text) == [PublishedRate("USD", date(2024, 12, 20), Decimal("1.0390"))]


def test_a_zip_bomb_is_refused_after_reading_a_bounded_amount():
    # 33 MiB of one repeated line deflate to ~33 kB: more than MAX_CSV_BYTES inflated.
    line = b"2024-12-20,1.0390,\n"
    lines = ecb.MAX_CSV_BYTES // len(line) + 1000
    bomb = zipped({"eurofxref-hist.csv": b"Date,USD,\n" + line * lines})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(RatesFileError, match="larger than"):
        read_rates(bomb)


def test_a_zip_that_understates_its_size_is_still_bounded(monkeypatch):
    monkeypatch.setattr(ecb, "MAX_CSV_BYTES", 1000)
    archive = bytearray(zipped({"eurofxref.csv": b"Date,USD,\n" + b"2024-12-20,1.0,\n" * 200}))
    # Rewrite the declared uncompressed size (central directory and local header) to 10.
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = archive.index(signature) + offset
        archive[at : at + 4] = (10).to_bytes(4, "little")
    with pytest.raises(RatesFileError):
        read_rates(bytes(archive))


@pytest.mark.parametrize(
    "files",
    [{}, {"a.csv": DAILY, "b.csv": DAILY}, {"rates.xml": b"<x/>"}],
    ids=["empty", "two-csv", "no-csv"],
)
def test_an_archive_without_exactly_one_csv_is_refused(files):
    with pytest.raises(RatesFileError, match=r"\.csv|not a readable"):
        read_rates(zipped(files))


def test_a_corrupt_archive_is_refused():
    with pytest.raises(RatesFileError):
        read_rates(zipped({"eurofxref.csv": DAILY})[:100])
