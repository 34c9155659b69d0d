"""Rows of an import that share a ``split_group`` become one split expense.

The export writes a split expense as one row per part (API.md, CSV second release),
each carrying the expense's date, description, notes, currency and tags; reading
it back groups those rows again and checks the group is one expense: the shared
cells agree and the parts obey the split rule of wire.validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from api.expenses.import_csv import ImportRow, ParsedFile
from wire.validation import FieldError, check_splits


@dataclass(frozen=True, slots=True)
class SplitRow:
    """One split expense of the file: its parts in file order."""

    parts: tuple[ImportRow, ...]

    @property
    def first(self) -> ImportRow:
        return self.parts[0]

    @property
    def amount(self) -> Decimal:
        return sum((part.amount for part in self.parts), Decimal("0.00"))

    @property
    def base_amount(self) -> Decimal | None:
        """The charged total, when every part names its share of it."""
        bases = [part.base_amount for part in self.parts]
        if any(base is None for base in bases):
            return None
        return sum(bases, Decimal("0.00"))  # type: ignore[arg-type]


def _shared(row: ImportRow) -> tuple[object, ...]:
    return (row.spent_on, row.description, row.notes, row.currency, row.tags)


def group_splits(parsed: ParsedFile) -> list[SplitRow]:
    """Take the grouped rows out of ``parsed.rows``; bad groups become line errors."""
    groups: dict[str, list[ImportRow]] = {}
    singles = []
    for row in parsed.rows:
        if row.split_group:
            groups.setdefault(row.split_group, []).append(row)
        else:
            singles.append(row)
    parsed.rows = singles
    splits = []
    for rows in groups.values():
        first = rows[0]
        if any(_shared(row) != _shared(first) for row in rows[1:]):
            parsed.fail(
                first.line,
                f"Split group {first.split_group!r}: its rows must share date, description, "
                "notes, currency and tags.",
            )
            continue
        amount = sum((row.amount for row in rows), Decimal("0.00"))
        try:
            check_splits([(0, row.amount) for row in rows], amount)
        except FieldError as error:
            parsed.fail(first.line, f"Split group {first.split_group!r}: {error.reason}.")
            continue
        splits.append(SplitRow(tuple(rows)))
    return splits
