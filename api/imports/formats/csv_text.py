"""A bank CSV's bytes as text and records: encoding, lines, delimiter.

Encoding: a BOM says it; valid UTF-8 is UTF-8; anything else is asked of
charset-normalizer. On the short, mostly-ASCII text of a statement it cannot tell
the Western code pages apart (a German Windows-1252 file scores best as
Windows-1250), so among its equally plausible answers Windows-1252 is preferred,
and reported as ISO-8859-1 when no byte in 0x80-0x9F (where the two differ) occurs.
An answer that would swallow the file's structure is refused too: a multibyte code
page (it once answered Johab) can read a delimiter or line end as the second byte
of a character, and a row silently loses its cells. The encoding is part of the
mapping the user can change.

Delimiter: clevercsv's consistency measure (the delimiter under which rows have
the same shape and cells have recognisable types), which copes with ``;`` files
whose amounts hold commas, where the standard library's Sniffer fails. Only the
first lines are measured: it is quadratic in the worst case.
"""

from __future__ import annotations

import codecs
import csv
import re

import charset_normalizer
import clevercsv

from api.imports.formats.base import UnreadableFile

DELIMITERS = (",", ";", "\t", "|")
_LINES = re.compile(r"\r\n|\r|\n")
_SAMPLE_LINES = 60
_C1 = re.compile(rb"[\x80-\x9f]")
# Delimiters, quotes and line ends: what the encoding must leave as they are.
_STRUCTURE = ',;\t|"\r\n'
# A cell may be as large as the file; the stdlib's 128 KiB default would fail it.
csv.field_size_limit(64 * 1024 * 1024)


def detect_encoding(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    sample = data[: 256 * 1024]
    results = charset_normalizer.from_bytes(sample)
    best = results.best()
    plausible = [m for m in results if best and m.chaos <= best.chaos + 0.02]
    if (
        best is None
        or any("cp1252" in m.could_be_from_charset for m in plausible)
        or not _keeps_structure(sample, best.encoding)
    ):
        # charset-normalizer gives up on short text full of symbols; the Western
        # code page is then the likeliest, and the user can pick another.
        return "cp1252" if _C1.search(data) else "iso-8859-1"
    return codecs.lookup(best.encoding).name


def _keeps_structure(data: bytes, encoding: str) -> bool:
    """True when decoding keeps every delimiter, quote and line end of ``data``."""
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        return False
    return all(text.count(char) == data.count(char.encode()) for char in _STRUCTURE)


def decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except LookupError:
        raise UnreadableFile("The mapping names an unknown encoding.") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableFile(f"The file is not valid {encoding} (line {line}).") from None
    return text.removeprefix("\ufeff")


def split_lines(text: str) -> list[str]:
    """Physical lines, whatever their ends (``\\r\\n``, ``\\n``, old Mac ``\\r``)."""
    lines = _LINES.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def delimiters(lines: list[str]) -> list[str]:
    """Every delimiter, clevercsv's choice first, so a caller can try the next."""
    sample = "\n".join(lines[:_SAMPLE_LINES]) + "\n"
    try:
        dialect = clevercsv.Detector().detect(sample, delimiters=list(DELIMITERS))
    except Exception:
        dialect = None
    # Without an answer: the delimiter found in the most lines.
    ranked = sorted(
        DELIMITERS, key=lambda d: -sum(1 for line in lines[:_SAMPLE_LINES] if d in line)
    )
    if dialect is not None and dialect.delimiter in DELIMITERS:
        ranked.remove(dialect.delimiter)
        ranked.insert(0, dialect.delimiter)
    return ranked


def records(lines: list[str], delimiter: str, start: int = 0) -> list[tuple[int, list[str]]]:
    """(first line, cells) of every record from line index ``start``, quotes honoured."""
    reader = csv.reader(
        (line + "\n" for line in lines[start:]),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        strict=False,
    )
    out, consumed = [], 0
    for cells in reader:
        out.append((start + consumed + 1, cells))
        consumed = reader.line_num
    return out
