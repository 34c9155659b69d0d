"""A PATCH, once for every resource: the fields it names, and the versioned UPDATE.

``changes`` keeps an explicit ``null`` (clearing a field) apart from a field left
out (``UNSET``); ``versioned_update`` builds the ``SET`` list, bumps ``version`` and
adds the If-Match condition, so every resource with an ETag refuses a stale write
the same way.
"""

from __future__ import annotations

from typing import Any

import msgspec

from api.preconditions import IfMatch


def changes(update: msgspec.Struct) -> dict[str, Any]:
    """The fields the body names (``null`` included), by wire name."""
    return {
        name: value
        for name in update.__struct_fields__
        if (value := getattr(update, name)) is not msgspec.UNSET
    }


def versioned_update(
    table: str, columns: dict[str, Any], expected: IfMatch, extra: tuple[str, ...] = ()
) -> tuple[str, list[Any]]:
    """``UPDATE <table> SET … WHERE id = $1 AND user_id = $2 [AND version = ANY(…)]``
    (no RETURNING: callers add theirs) and its arguments after the first two."""
    assignments = [f'"{column}" = ${index}' for index, column in enumerate(columns, start=3)]
    args: list[Any] = list(columns.values())
    version_check = ""
    if not expected.any_version:
        args.append(list(expected.versions))
        version_check = f" AND version = ANY(${len(args) + 2}::int[])"
    assignments += [*extra, "version = version + 1"]
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE id = $1 AND user_id = $2"
    return sql + version_check, args
