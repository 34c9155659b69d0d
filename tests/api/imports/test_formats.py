"""What each format decides, and what it leaves to the mapping or the caller."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from api.imports.formats import FORMATS, ReadOptions, UnreadableFile, detect_format, read_statement
from api.imports.formats.amounts import detect_separators, parse_bank_amount

HERE = Path(__file__).parent


def _read(name: str, **options: object) -> object:
    return read_statement((HERE / name).read_bytes(), ReadOptions(**options))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("checking_sgml.ofx", "ofx"),
        ("card_xml.ofx", "ofx"),
        ("two_accounts.qfx", "ofx"),
        ("sparkasse.camt053.001.02.xml", "camt053"),
        ("ing.camt053.001.08.xml", "camt053"),
        ("european.qif", "qif"),
        ("german_bank.csv", "csv"),
        ("bom_utf8.csv", "csv"),
    ],
)
def test_format_is_recognised_from_content(name: str, expected: str) -> None:
    found = detect_format((HERE / name).read_bytes()[:4096])
    assert expected == found.NAME


def test_formats_are_sniffed_specific_first_csv_last() -> None:
    assert [f.NAME for f in FORMATS] == ["ofx", "camt053", "qif", "csv"]


def test_ofx_sign_of_trnamt_decides_whatever_trntype_says() -> None:
    rows = {r.external_id: r for r in _read("checking_sgml.ofx").rows}
    assert rows["2024010500002"].amount == Decimal("-9.99")  # TRNTYPE CREDIT
    assert rows["2024011000003"].amount == Decimal("25.00")  # TRNTYPE DEBIT


def test_ofx_keeps_the_banks_calendar_day_not_utc() -> None:
    # 23:30 in California is the next day in UTC; the statement says the 10th.
    rows = {r.external_id: r for r in _read("checking_sgml.ofx").rows}
    assert rows["2024011000003"].spent_on == date(2024, 1, 10)


def test_ofx_with_bom_and_leading_blank_lines_is_read() -> None:
    data = b"\xef\xbb\xbf\r\n\r\n" + (HERE / "checking_sgml.ofx").read_bytes()
    assert len(read_statement(data).rows) == 5


def test_german_thousands_are_not_read_as_decimals() -> None:
    rows = _read("german_bank.csv").rows
    assert [r.amount for r in rows[:2]] == [Decimal("-1000.00"), Decimal("-1234.56")]


@pytest.mark.parametrize(
    ("text", "decimal", "thousands", "expected"),
    [
        ("1.234,56", ",", ".", "1234.56"),
        ("1,234.56", ".", ",", "1234.56"),
        ("1.000", ",", ".", "1000.00"),
        ("-1 234,50", ",", " ", "-1234.50"),
        ("1'234.50", ".", "'", "1234.50"),
        ("12,50-", ",", "", "-12.50"),
        ("(12.50)", ".", "", "-12.50"),
        ("+7", ".", "", "7.00"),
        ("€ -3,20", ",", ".", "-3.20"),
        ("12.5000", ".", "", "12.50"),
    ],
)
def test_bank_amounts_are_exact(text: str, decimal: str, thousands: str, expected: str) -> None:
    assert parse_bank_amount(text, decimal, thousands) == Decimal(expected)


@pytest.mark.parametrize("text", ["12,345", "1,234.56", "1e3", "NaN", "12.3.4", "1.23,4.5"])
def test_amount_that_breaks_the_separators_or_the_cent_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="Amount"):
        parse_bank_amount(text, ",", ".")


def test_separators_are_decided_from_the_whole_column() -> None:
    assert detect_separators(["1.000", "2,50"]) == (",", ".", False)
    assert detect_separators(["1.000", "2.000"]) == (".", "", True)
    assert detect_separators(["1,000", "12.00"]) == (".", ",", False)


def test_ambiguous_csv_dates_are_reported_never_guessed() -> None:
    statement = _read("ambiguous_dates.csv")
    assert statement.ambiguities == [{"field": "date_format", "options": ["%d/%m/%Y", "%m/%d/%Y"]}]
    assert statement.mapping["date_format"] is None
    assert all(r.spent_on is None and r.error is None for r in statement.rows)


def test_settled_date_format_reads_the_dates_and_clears_the_ambiguity() -> None:
    mapping = _read("ambiguous_dates.csv").mapping
    statement = _read("ambiguous_dates.csv", mapping={**mapping, "date_format": "%m/%d/%Y"})
    assert statement.ambiguities == []
    assert statement.rows[0].spent_on == date(2024, 3, 4)


def test_undecidable_decimal_mark_is_reported_and_settled_by_the_mapping() -> None:
    statement = _read("decimal_unsure.csv")
    assert statement.ambiguities == [{"field": "decimal", "options": [".", ","]}]
    settled = _read(
        "decimal_unsure.csv", mapping={**statement.mapping, "decimal": ",", "thousands": "."}
    )
    assert [r.amount for r in settled.rows] == [Decimal("-1000.00"), Decimal("-2500.00")]
    assert settled.ambiguities == []


def test_user_can_move_a_column_role() -> None:
    mapping = _read("german_bank.csv").mapping
    columns = {
        **mapping["columns"],
        "description": "Auftraggeber/Empfänger",
        "notes": "Verwendungszweck",
    }
    rows = _read("german_bank.csv", mapping={**mapping, "columns": columns}).rows
    assert (rows[0].description, rows[0].notes) == ("Hausverwaltung Müller", "Miete März")


def test_csv_without_header_is_mapped_by_index() -> None:
    data = b"2024-01-02;Shop A;-1,50\n2024-01-03;Shop B;-2,00\n"
    statement = read_statement(data)
    assert statement.mapping["columns"] == {"date": 0, "amount": 2, "description": 1}
    assert [r.amount for r in statement.rows] == [Decimal("-1.50"), Decimal("-2.00")]


def test_csv_row_with_an_unreadable_amount_is_an_error_row_the_others_read() -> None:
    data = b"Date,Text,Amount\n2024-01-02,A,-1.50\n2024-01-03,B,-2.00\n"
    mapping = read_statement(data).mapping
    broken = data.replace(b"-2.00", b"abc")
    rows = read_statement(broken, ReadOptions(mapping=mapping)).rows
    assert rows[0].error is None
    assert rows[1].amount is None
    assert "Amount" in rows[1].error


@pytest.mark.parametrize(
    ("change", "part"),
    [
        ({"delimiter": "x"}, "delimiter"),
        ({"date_format": "%Q"}, "date_format"),
        ({"columns": {"amount": "Betrag (€)"}}, "columns"),
        ({"skip_rows": -1}, "skip_rows"),
        ({"decimal": ";"}, "decimal"),
    ],
)
def test_unusable_mapping_is_refused_naming_the_part(change: dict, part: str) -> None:
    mapping = _read("german_bank.csv").mapping
    with pytest.raises(UnreadableFile, match=part):
        _read("german_bank.csv", mapping={**mapping, **change})


def test_mapping_naming_a_missing_column_is_refused() -> None:
    mapping = _read("german_bank.csv").mapping
    columns = {**mapping["columns"], "date": "Datum"}
    with pytest.raises(UnreadableFile, match="no column named"):
        _read("german_bank.csv", mapping={**mapping, "columns": columns})


def test_qif_ambiguous_dates_are_settled_by_the_caller() -> None:
    assert _read("ambiguous_dates.qif").ambiguities[0]["options"] == ["DMY", "MDY"]
    rows = _read("ambiguous_dates.qif", date_order="MDY").rows
    assert rows[0].spent_on == date(2024, 3, 4)


def test_camt_batch_gives_one_row_per_transaction_with_unique_ids() -> None:
    rows = _read("ing.camt053.001.08.xml").rows
    batch = [r for r in rows if r.external_id and r.external_id.startswith("NTRY-0001/")]
    assert [r.amount for r in batch] == [Decimal("-50.00"), Decimal("-45.00"), Decimal("-25.00")]
    assert sum(r.amount for r in batch) == Decimal("-120.00")


def test_camt_pending_entries_are_kept_and_marked() -> None:
    rows = _read("sparkasse.camt053.001.02.xml").rows
    assert [r.external_id for r in rows if r.pending] == ["E2024013100004"]


def test_ofx_without_its_header_is_read_with_lines_of_the_file() -> None:
    data = (HERE / "checking_sgml.ofx").read_bytes()
    body = data[data.index(b"<OFX>") :]
    rows = read_statement(body).rows
    assert [r.external_id for r in rows][:1] == ["2024010300001"]
    assert rows[0].line == 33 - 10  # the ten header lines are gone


def test_unreadable_ofx_quotes_nothing_of_the_file() -> None:
    with pytest.raises(UnreadableFile) as refused:
        read_statement(b"OFXHEADER:100\nDATA:secret-token\n<OFX><BROKEN")
    assert "secret" not in str(refused.value)


def test_qif_amounts_that_cannot_tell_a_thousand_from_one_are_reported() -> None:
    data = b"!Type:Bank\nD15.01.2024\nT-1.000\nPLaptop\n^\n"
    statement = read_statement(data)
    assert statement.ambiguities == [{"field": "decimal", "options": [".", ","]}]
    assert statement.rows[0].amount is None
    settled = read_statement(data, ReadOptions(decimal=","))
    assert settled.rows[0].amount == Decimal("-1000.00")


def test_csv_pending_marker_in_the_date_cell_gives_a_pending_row() -> None:
    rows = _read("pending_marker.csv").rows
    assert (rows[0].pending, rows[0].spent_on) == (True, None)
    assert not any(r.pending for r in rows[1:])


def test_three_capital_type_codes_are_not_taken_for_a_currency() -> None:
    data = b"Date,Type,Details,Amount,Currency\n2024-01-02,POS,Shop A,-1.50,EUR\n"
    data += b"2024-01-03,ATM,Cash machine,-20.00,EUR\n"
    assert read_statement(data).mapping["columns"]["currency"] == "Currency"
