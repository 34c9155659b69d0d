"""Desktop tests: Qt offscreen, isolated settings, an in-memory keyring."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _qt_app(qapp):
    """Every desktop test gets the one QApplication (QPixmap needs it)."""
    return qapp
