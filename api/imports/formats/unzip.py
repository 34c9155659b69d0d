"""Statements some banks deliver zipped: one member, expanded within the byte cap.

A zip's declared sizes are the attacker's to choose, so they are not trusted: the
member is decompressed in chunks and refused as soon as the output passes the cap
(a "zip bomb" expands kilobytes into gigabytes).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from api.imports.formats.base import UnreadableFile, UnsafeFile

ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 64 * 1024


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def expand(data: bytes, max_bytes: int) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
        raise UnreadableFile("The file is not a readable zip archive.") from None
    if len(members) != 1:
        raise UnreadableFile("A zip archive must hold exactly one statement file.")
    out = bytearray()
    try:
        with archive.open(members[0]) as member:
            while chunk := member.read(_CHUNK):
                out += chunk
                if len(out) > max_bytes:
                    raise UnsafeFile(
                        f"The zip archive expands past {max_bytes} bytes; it was not read."
                    )
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError):
        # RuntimeError: encrypted members; NotImplementedError: unknown compression.
        raise UnreadableFile("The zip archive could not be expanded.") from None
    return bytes(out)
