"""CSV export (streamed to disk, with progress and Cancel); import opens the wizard,
which hands the app's own CSV files back here for a lossless import."""

from __future__ import annotations

import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from desktop.errors import Cancelled
from desktop.filters import ExpenseQuery, today
from desktop.session import Session
from desktop.views.import_dialog import ImportPreviewDialog
from desktop.views.import_wizard import ImportWizard
from desktop.workers import Runner
from wire.expenses import ImportReport


class CsvTransfer(QObject):
    progressed = Signal(int)  # bytes written so far (emitted from the worker thread)
    exported = Signal(object, int)  # path, bytes
    imported = Signal(object)  # ImportResult of the wizard, ImportReport of an own CSV
    failed = Signal(object, object)  # error, retry
    cancelled = Signal()

    def __init__(self, session: Session, runner: Runner, parent: QWidget) -> None:
        super().__init__(parent)
        self.session, self.runner, self.window = session, runner, parent
        self.progress: QProgressDialog | None = None
        self.wizard: ImportWizard | None = None
        self.preview: ImportPreviewDialog | None = None
        self.statements: Path | None = None  # where the file dialog starts (the demo's files)
        self.progressed.connect(self._show_progress)

    # --- export -------------------------------------------------------------------
    def ask_export(self, query: ExpenseQuery) -> None:
        suggested = f"expenses-{today().isoformat()}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export expenses", suggested, "CSV files (*.csv)"
        )
        if path:
            self.export_to(Path(path), query)

    def export_to(self, path: Path, query: ExpenseQuery) -> None:
        stop = threading.Event()
        progress = QProgressDialog("Exporting expenses…", "Cancel", 0, 0, self.window)
        progress.setWindowTitle("Export")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # quick exports finish before it would flash
        progress.canceled.connect(stop.set)
        self.progress = progress
        client = self.session.client

        def work() -> int:
            return client.export_csv(query, path, self.progressed.emit, stop.is_set)

        def done(size: int) -> None:
            self._close_progress()
            self.exported.emit(path, size)

        def failed(error: Exception) -> None:
            self._close_progress()
            if isinstance(error, Cancelled):
                self.cancelled.emit()
            else:
                self.failed.emit(error, lambda: self.export_to(path, query))

        self.runner.submit(work, done, failed)

    def _show_progress(self, size: int) -> None:
        if self.progress is not None:
            self.progress.setLabelText(f"Exporting expenses… {size / 1024:,.0f} KB written")

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None

    # --- import ---------------------------------------------------------------------
    def ask_import(self) -> None:
        """The import wizard (any bank file; it replaced the CSV-only preview)."""
        self.open_wizard()

    def open_wizard(self, path: Path | None = None) -> ImportWizard:
        """The wizard, asking for a file unless ``path`` is given (screenshots)."""
        if self.wizard is not None and shiboken6.isValid(self.wizard) and self.wizard.isVisible():
            self.wizard.raise_()
            return self.wizard
        operations = self.window.operations  # type: ignore[attr-defined]
        wizard = ImportWizard(self.session, self.runner, operations, self.window, self.statements)
        wizard.imported.connect(self.imported)
        wizard.ownCsv.connect(self.preview_import)
        wizard.failed.connect(lambda error: self.failed.emit(error, None))
        wizard.finished.connect(wizard.deleteLater)
        self.wizard = wizard
        wizard.start(path)
        return wizard

    # --- the app's own CSV --------------------------------------------------------------
    def preview_import(self, path: Path) -> None:
        """A dry run of ``path`` on the server, shown before anything is written."""
        client = self.session.client

        def work() -> tuple[bytes, ImportReport]:
            data = path.read_bytes()
            return data, client.import_csv(data, dry_run=True)

        def previewed(outcome: tuple[bytes, ImportReport]) -> None:
            data, report = outcome
            dialog = ImportPreviewDialog(path.name, report, self.window)
            dialog.accepted.connect(lambda: self._import(data, path))
            dialog.finished.connect(dialog.deleteLater)
            self.preview = dialog
            dialog.open()

        self.runner.submit(
            work,
            previewed,
            lambda error: self.failed.emit(error, lambda: self.preview_import(path)),
        )

    def _import(self, data: bytes, path: Path) -> None:
        client = self.session.client
        self.runner.submit(
            lambda: client.import_csv(data, dry_run=False),
            self.imported.emit,
            lambda error: self.failed.emit(error, lambda: self._import(data, path)),
        )
