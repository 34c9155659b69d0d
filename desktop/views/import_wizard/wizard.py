"""The import wizard: pick a statement, see every row as it would be imported, settle
what the file leaves open, import, and undo from the history.

Every read runs on the ``Runner``: a preview after each change of the mapping
(debounced, on one channel so a slow answer never overwrites a newer one), the
import with a busy bar, profiles, rules and the history. Saving a profile and
undoing an import are ops of the ``OperationRunner``.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.client.imports import RefusedImport, Statement
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.views.import_wizard.files import ask_statement, own_export
from desktop.views.import_wizard.history import ImportHistory
from desktop.views.import_wizard.mapping_form import MappingForm
from desktop.views.import_wizard.peek import Outcome, read
from desktop.views.import_wizard.profiles import ProfileBar
from desktop.views.import_wizard.rows import (
    PreviewRowsModel,
    counts_text,
    statement_text,
    why_not,
)
from desktop.workers import Runner
from wire.imports import ImportPreview, ImportResult
from wire.rules import Rule

DEBOUNCE_MS = 350
COLUMN_WIDTHS = (76, 40, 88, 170, 72, 96, 88, 90)  # Status … Rule; the Note stretches


class ImportWizard(QDialog):
    imported = Signal(object)  # ImportResult
    undone = Signal(object)  # ImportRecord
    previewed = Signal(object)  # ImportPreview shown (tests and screenshots wait on it)
    failed = Signal(object)  # an error the window shows
    ownCsv = Signal(object)  # Path: the app's own export, imported by its own route

    def __init__(
        self,
        session: Session,
        runner: Runner,
        operations: OperationRunner,
        parent: QWidget | None = None,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import a bank statement")
        self.resize(1100, 640)
        self.session, self.runner, self.operations = session, runner, operations
        self.folder = folder
        self.path: Path | None = None
        self.data = b""
        self.preview: ImportPreview | None = None
        self.profile_id: int | None = None
        self.use_profile = False  # the profile's mapping until the user edits a control
        self.busy = ""  # "Reading…" / "Importing…": why Import waits
        self.done_text = ""
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self.preview_now)
        self._build()
        self.history.undone.connect(self.undone)
        self.history.failed.connect(self.failed)
        self.update_state()

    def _build(self) -> None:
        self.file_label = QLabel("No file chosen")
        self.choose_button = QPushButton("Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        self.profiles = ProfileBar(self.session, self.runner, self.operations, self)
        self.profiles.picked.connect(self._profile_picked)
        self.profiles.failed.connect(self.failed)
        self.save_profile_button = self.profiles.save_button
        self.save_profile_button.clicked.connect(self.save_as_profile)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        top.addSpacing(16)
        top.addWidget(self.profiles)
        self.form = MappingForm()
        self.form.changed.connect(self._edited)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(self.form)
        scroll.setMinimumWidth(400)
        self.model = PreviewRowsModel(self)
        self.table = QTableView(accessibleName="Rows of the statement")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)  # fixed: no ResizeToContents
        header = self.table.horizontalHeader()
        for at, width in enumerate(COLUMN_WIDTHS):  # fixed widths: no ResizeToContents
            header.resizeSection(at, width)
        header.setStretchLastSection(True)
        self.counts = QLabel()
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addWidget(self.counts)
        split = QSplitter()
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([440, 760])
        self.reason = QLabel(wordWrap=True)
        self.reason.setObjectName("importReason")
        self.progress = QProgressBar(maximumWidth=200, textVisible=False)
        self.progress.setRange(0, 0)  # busy: the server answers the import in one go
        self.progress.hide()
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_now)
        self.close_button = close = QPushButton("Close")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.import_button)
        bottom.addWidget(close)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.history = ImportHistory(self.session, self.runner, self.operations, self)
        self.tabs = QTabWidget()
        self.tabs.addTab(page, "Import a statement")
        self.tabs.addTab(self.history, "Import history")
        self.tabs.currentChanged.connect(lambda i: i == 1 and self.history.load())
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)

    # --- start ----------------------------------------------------------------------
    def start(self, path: Path | None = None) -> None:
        """Open, load profiles and rules, and read ``path`` or ask for a file."""
        self.open()
        self.profiles.load()
        client = self.session.client
        self.runner.submit(client.rules, self._rules_loaded, lambda _e: None, owner=self)
        self.load_file(path) if path is not None else self.choose_file()

    def choose_file(self) -> None:
        path = ask_statement(self, str(self.folder or ""))
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        if own_export(path):  # lossless through its own route, not as a bank file
            self.ownCsv.emit(path)
            self.reject()
            return
        self.path, self.data, self.preview = path, b"", None
        self.file_label.setText(f"<b>{html.escape(path.name)}</b>")
        self.form.reset()
        self.model.set_rows([])
        self.preview_now()

    def _rules_loaded(self, rules: list[Rule]) -> None:
        self.model.set_rule_names({rule.id: rule.name for rule in rules})

    # --- preview --------------------------------------------------------------------
    def statement(self) -> Statement:
        return Statement(
            data=self.data,
            name=self.path.name if self.path else "statement",
            mapping=None if self.use_profile else self.form.mapping(),
            profile_id=self.profile_id if self.use_profile else None,
            account=self.form.account.text(),
            include_credits=self.form.include_credits.isChecked(),
        )

    def _edited(self) -> None:
        self.use_profile = False
        self.busy = "Reading the file…"
        self.update_state()
        self.timer.start()  # one preview after the user stops changing things

    def _profile_picked(self, profile_id: int | None) -> None:
        self.profile_id = profile_id
        self.use_profile = self.profile_id is not None
        self.form.reset(keep_options=True)  # the profile's mapping settles the open choices
        if self.path is not None:
            self.preview_now()

    def preview_now(self) -> None:
        if self.path is None:
            return
        self.timer.stop()
        self.busy = "Reading the file…"
        self.update_state()
        client, path, statement = self.session.client, self.path, self.statement()
        self.runner.submit(lambda: read(client, statement, path), self._previewed,
                           self._preview_failed, channel="import-preview", owner=self)  # fmt: skip

    def _previewed(self, outcome: Outcome) -> None:
        self.data, shown, guessed, seen = outcome
        self.busy = ""
        if not isinstance(shown, ImportPreview):
            self._preview_failed(shown)
            if self.form.base is None and guessed is not None:  # keep what the user mapped
                self.form.show_columns(guessed, seen)
                self.update_state(f"{shown} Name them on the left.")
            return
        self.preview = shown
        self.file_label.setText(statement_text(self.path.name if self.path else "", shown))
        self.form.show_preview(self.preview, seen)
        self.model.set_rows(self.preview.rows)
        self.counts.setText(counts_text(self.preview.counts))
        self.update_state()
        self.previewed.emit(self.preview)

    def _preview_failed(self, error: Exception) -> None:
        self.busy = ""
        self.preview = None
        self.model.set_rows([])
        self.counts.clear()
        self.update_state(str(error))

    # --- import ---------------------------------------------------------------------
    def blocker(self) -> str:
        """Why Import cannot run now; empty when it can."""
        preview = self.preview
        if self.path is None:
            return "Choose a statement file."
        if self.busy:
            return self.busy
        if preview is None:
            return "The file could not be read."
        return why_not(preview, bool(self.form.unsettled()))

    def update_state(self, message: str = "") -> None:
        blocker = self.blocker()
        self.import_button.setEnabled(not blocker)
        self.save_profile_button.setEnabled(self.form.base is not None and not self.busy)
        if message:
            self.reason.setText(message)
        elif blocker:
            self.reason.setText(blocker)
        else:
            new = self.preview.counts.new if self.preview else 0
            self.reason.setText(f"Ready: {new} new {'expense' if new == 1 else 'expenses'}.")

    def import_now(self) -> None:
        if self.blocker():
            return
        new = self.preview.counts.new if self.preview else 0
        self.busy = f"Importing {new} {'expense' if new == 1 else 'expenses'}…"
        self.close_button.setEnabled(False)  # its answer refreshes the window: wait for it
        self.progress.show()
        self.update_state()
        client, statement = self.session.client, self.statement()
        self.runner.submit(lambda: client.create_import(statement), self._imported,
                           self._import_failed, owner=self)  # fmt: skip

    def _imported(self, result: ImportResult) -> None:
        self.busy = ""
        self.close_button.setEnabled(True)
        self.progress.hide()
        self.imported.emit(result)
        self.history.load()
        self.preview_now()  # the rows are duplicates now
        self.done_text = (
            f"Imported {result.created} {'expense' if result.created == 1 else 'expenses'} "
            f"({result.duplicates} duplicates, {result.skipped} skipped). "
            "Import history can undo it."
        )
        self.previewed.connect(self._say_done, Qt.ConnectionType.SingleShotConnection)

    def _say_done(self, _preview: object) -> None:
        self.reason.setText(self.done_text)

    def _import_failed(self, error: Exception) -> None:
        self.busy = ""
        self.close_button.setEnabled(True)
        self.progress.hide()
        if isinstance(error, RefusedImport) and error.rows:
            self.model.set_rows(error.rows)
        self.update_state(str(error))

    def reject(self) -> None:
        if not self.close_button.isEnabled():  # Esc while importing: wait for the answer
            return
        super().reject()

    def save_as_profile(self) -> None:
        mapping = self.form.mapping()
        if mapping is not None and self.form.base is not None:
            suggested = self.path.stem if self.path else "My bank"
            self.profiles.save(mapping, suggested, lambda error: self.update_state(str(error)))
