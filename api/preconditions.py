"""``If-Match`` (RFC 9110 §13.1.1) against the integer version of a resource.

A resource's ETag is the strong tag ``"<version>"``. The header may list several
tags; it matches when any of them is the current tag, and ``*`` matches any
version. Weak tags never match (strong comparison), and a tag that cannot be a
version — not digits, beyond a version's range — is simply not the current tag,
so a header made only of those is a 412, never an error of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Versions are INTEGER columns; a larger number can never be the current one.
MAX_VERSION = 2**31 - 1
_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')
_DIGITS = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True, slots=True)
class IfMatch:
    """What an ``If-Match`` header accepts: any version, or one of ``versions``."""

    any_version: bool
    versions: tuple[int, ...] = ()

    def accepts(self, version: int) -> bool:
        return self.any_version or version in self.versions


ANY = IfMatch(any_version=True)


def parse_if_match(header: str | None) -> IfMatch:
    """``None`` or ``*`` accept any version; otherwise the strong numeric tags listed."""
    if header is None or header.strip() == "*":
        return ANY
    versions: list[int] = []
    position = 0
    while position < len(header):
        match = _TAG.match(header, position)
        if match is None:
            break  # the rest is not a list of tags: nothing further can match
        weak, opaque = match.groups()
        if not weak and _DIGITS.fullmatch(opaque) and 0 < int(opaque) <= MAX_VERSION:
            versions.append(int(opaque))
        position = match.end()
    return IfMatch(any_version=False, versions=tuple(versions))
