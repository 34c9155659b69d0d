"""What the wizard reads from a statement itself: the header, the first dates, and the
spelled-out readings of an ambiguous date (no server: pure functions)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from desktop.views.import_wizard.peek import describe, peek, read_as, spelled, undetected
from tests.api.bank_import_helpers import FILES
from wire.imports import ImportColumns, ImportMapping

DAYS = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))
TWO_DIGIT_YEARS = st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31))
OPTIONS = ["%d/%m/%Y", "%m/%d/%Y"]


@given(DAYS, TWO_DIGIT_YEARS)
def test_each_option_reads_back_the_day_it_was_written_as(day, short):
    assert read_as(day.strftime("%d/%m/%Y"), "%d/%m/%Y") == day
    assert read_as(day.strftime("%m/%d/%Y"), "%m/%d/%Y") == day
    assert read_as(day.strftime("%d/%m/%Y"), "DMY") == day
    assert read_as(short.strftime("%d/%m'%y"), "DMY") == short  # QIF: D25/12'24
    assert read_as(short.strftime("%m/%d'%y"), "MDY") == short


@given(DAYS)
def test_a_date_that_reads_two_ways_is_spelled_out_both_ways(day):
    raw = day.strftime("%d/%m/%Y")
    day_first, month_first = (describe(option, [raw], OPTIONS) for option in OPTIONS)
    assert day_first.splitlines() == ["Day first:", f"{raw} = {spelled(day)}"]
    other = read_as(raw, "%m/%d/%Y")
    if other is None:  # a day above 12 is no month: that reading says so
        assert month_first.splitlines() == ["Month first:", f"{raw} cannot be read"]
    else:
        assert month_first.splitlines() == ["Month first:", f"{raw} = {spelled(other)}"]


def test_the_telling_dates_are_the_first_that_read_differently():
    dates = ["01/01/2025", "05/05/2025", "02/11/2026", "03/11/2026", "04/11/2026"]
    assert describe("%d/%m/%Y", dates, OPTIONS) == (
        "Day first:\n02/11/2026 = 2 November 2026\n03/11/2026 = 3 November 2026"
    )


def test_a_csv_header_and_first_dates_are_read_with_the_detected_mapping():
    columns = ImportColumns(date="Buchungstag", amount="Betrag (EUR)", description="Zweck")
    mapping = ImportMapping(encoding="iso-8859-1", delimiter=";", skip_rows=3, columns=columns)
    seen = peek((FILES / "german_giro.csv").read_bytes(), "csv", mapping)
    assert "Buchungstag" in seen.header
    assert seen.dates[0] == "03.03.2025"
    assert peek((FILES / "european.qif").read_bytes(), "qif", None).dates[0] == "25/12'24"
    assert peek(b"<OFX>", "ofx", None).dates == []


def test_a_csv_without_recognisable_columns_still_offers_its_header():
    found = undetected(b"when;what;how much\n2026-01-02;Bakery;3,20\n2026-01-03;Cafe;2,10\n")
    assert found is not None
    mapping, seen = found
    assert (mapping.delimiter, mapping.encoding) == (";", "utf-8")
    assert seen.header == ["when", "what", "how much"]
    assert undetected(b"\x00\x01\x02 not text at all \xff\xfe") is None
