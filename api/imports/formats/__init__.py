"""Statement formats, recognised from content: bytes in, :class:`Statement` out.

``FORMATS`` is sniffed in order — the specific formats first, CSV (which accepts
almost any text) last — on the file's first bytes, never its name. A zip holding
one statement is expanded first, within the byte cap. Each format module satisfies
:class:`StatementFormat`: ``NAME``, ``sniff(head)``, ``read(data, options)``.
"""

from __future__ import annotations

from api.imports.formats import bank_csv, camt053, ofx, qif, unzip
from api.imports.formats.base import (
    ReadOptions,
    Statement,
    StatementFormat,
    StatementRow,
    TooLarge,
    UnreadableFile,
    UnsafeFile,
)

__all__ = [
    "FORMATS",
    "ReadOptions",
    "Statement",
    "StatementFormat",
    "StatementRow",
    "TooLarge",
    "UnreadableFile",
    "UnsafeFile",
    "detect_format",
    "read_statement",
]

# Modules satisfy the protocol structurally (NAME, sniff, read at module level).
FORMATS: tuple[StatementFormat, ...] = (ofx, camt053, qif, bank_csv)
HEAD_BYTES = 4096


def detect_format(head: bytes) -> StatementFormat:
    for fmt in FORMATS:
        if fmt.sniff(head):
            return fmt
    raise UnreadableFile("The file is not a statement in a known format (OFX, QIF, camt.053, CSV).")


def read_statement(data: bytes, options: ReadOptions | None = None) -> Statement:
    """Read any supported statement, refusing what passes the caps or is unsafe."""
    options = options or ReadOptions()
    if len(data) > options.max_bytes:
        raise TooLarge(f"The file is larger than {options.max_bytes} bytes.")
    if unzip.is_zip(data[:4]):
        data = unzip.expand(data, options.max_bytes)
    if not data.strip():
        raise UnreadableFile("The file is empty.")
    return detect_format(data[:HEAD_BYTES]).read(data, options)
