"""Which file to import, and whether it is a bank statement at all."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from wire.expenses_csv import is_own_header

FILTER = "Bank statements (*.csv *.ofx *.qfx *.qif *.xml *.txt);;All files (*)"


def own_export(path: Path) -> bool:
    """Is ``path`` one of the app's own CSV exports (by its header row)?"""
    try:
        with path.open("r", encoding="utf-8-sig", errors="replace") as file:
            return is_own_header(file.readline(4096))
    except OSError:
        return False  # the preview says what is wrong with the file


def ask_statement(parent: QWidget, folder: str) -> Path | None:
    """Tests replace this prompt (or ``QFileDialog.getOpenFileName``)."""
    path, _ = QFileDialog.getOpenFileName(parent, "Choose a file to import", folder, FILTER)
    return Path(path) if path else None
