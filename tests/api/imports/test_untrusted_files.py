"""Hostile statements are refused with a message that quotes nothing of them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from api.imports.formats import ReadOptions, TooLarge, UnreadableFile, UnsafeFile, read_statement

HOSTILE = Path(__file__).parent / "hostile"


@pytest.mark.parametrize("name", ["xxe.camt053.xml", "billion_laughs.camt053.xml", "xxe.ofx"])
def test_xml_declaring_a_dtd_or_entities_is_refused_unread(name: str) -> None:
    with pytest.raises(UnsafeFile) as refused:
        read_statement((HOSTILE / name).read_bytes())
    message = str(refused.value)
    for echoed in ("passwd", "lol", "secret", "ENTITY"):
        assert echoed not in message


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_it_expands_past_the_cap() -> None:
    bomb = _zip({"statement.csv": b"0" * (50 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    with pytest.raises(UnsafeFile, match="expands past 1048576 bytes"):
        read_statement(bomb, ReadOptions(max_bytes=1024 * 1024))


def test_zipped_statement_within_the_cap_is_read() -> None:
    ofx = (Path(__file__).parent / "checking_sgml.ofx").read_bytes()
    statement = read_statement(_zip({"export/statement.ofx": ofx}))
    assert statement.format == "ofx"
    assert len(statement.rows) == 5


def test_zip_with_several_files_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="exactly one"):
        read_statement(_zip({"a.csv": b"x", "b.csv": b"y"}))


def test_file_over_the_byte_cap_is_refused_unread() -> None:
    with pytest.raises(TooLarge):
        read_statement(b"Date,Amount\n" * 100, ReadOptions(max_bytes=100))


@pytest.mark.parametrize(
    "name", ["checking_sgml.ofx", "sparkasse.camt053.001.02.xml", "european.qif", "german_bank.csv"]
)
def test_row_cap_applies_to_every_format(name: str) -> None:
    data = (Path(__file__).parent / name).read_bytes()
    with pytest.raises(TooLarge, match="more than 2 transactions"):
        read_statement(data, ReadOptions(max_rows=2))


def test_malformed_xml_names_only_the_line() -> None:
    namespace = b"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
    data = b'<?xml version="1.0"?>\n<Document xmlns="' + namespace + b'">\n<oops'
    with pytest.raises(UnreadableFile) as refused:
        read_statement(data)
    assert "oops" not in str(refused.value)
    assert "line 3" in str(refused.value)


def test_camt_version_outside_02_to_08_is_refused() -> None:
    data = (
        b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.13"/>'
    )
    with pytest.raises(UnreadableFile, match=r"\.001\.02 to \.001\.08"):
        read_statement(data)


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02binary\x00"])
def test_empty_or_binary_file_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableFile):
        read_statement(data)
