"""Screenshots of the app's shell for docs/screenshots (``demo --screenshot``)."""

from __future__ import annotations

from pathlib import Path

from desktop.views.main_window import MainWindow


def render(window: MainWindow, directory: Path) -> list[Path]:
    return []
