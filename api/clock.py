"""Today's date (UTC) for the routes that depend on it. Services take ``today`` as an
argument instead, so tests run them on a fixed clock."""

from __future__ import annotations

from datetime import UTC, date, datetime


def today() -> date:
    return datetime.now(UTC).date()
