"""Saved CSV mappings ("profiles", one per bank): pick one, or save the current one.

Picking a profile reads the file with its mapping; saving is an op
(``POST /api/v1/import-profiles``) and selects the new profile when it is stored.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from desktop.operations.imports import save_profile
from desktop.operations.runner import OperationRunner
from desktop.session import Session
from desktop.workers import Runner
from wire.imports import ImportMapping, ImportProfile, ImportProfileCreate

DETECT = "Detect from the file"


def ask_profile_name(parent: QWidget, suggested: str) -> str | None:
    """Tests replace this prompt."""
    name, ok = QInputDialog.getText(parent, "Save as profile", "Profile name:", text=suggested)
    return name.strip() if ok and name.strip() else None


class ProfileBar(QWidget):
    picked = Signal(object)  # a profile id, or None: detect from the file
    failed = Signal(object)

    def __init__(
        self, session: Session, runner: Runner, operations: OperationRunner, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.session, self.runner, self.operations = session, runner, operations
        self.combo = QComboBox(accessibleName="Import profile")
        self.combo.addItem(DETECT, None)
        self.combo.activated.connect(lambda _i: self.picked.emit(self.combo.currentData()))
        self.save_button = QPushButton("Save as profile…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Profile:"))
        layout.addWidget(self.combo)
        layout.addWidget(self.save_button)

    def load(self, select: str | None = None) -> None:
        def loaded(profiles: list[ImportProfile]) -> None:
            current = self.combo.currentData()
            self.combo.clear()
            self.combo.addItem(DETECT, None)
            for item in profiles:
                self.combo.addItem(item.name, item.id)
            wanted = next((p.id for p in profiles if p.name == select), current)
            self.combo.setCurrentIndex(max(self.combo.findData(wanted), 0))

        client = self.session.client
        self.runner.submit(client.import_profiles, loaded, self.failed.emit, owner=self)

    def save(self, mapping: ImportMapping, suggested: str, on_error: Callable) -> None:
        name = ask_profile_name(self, suggested)
        if not name:
            return
        op = save_profile(ImportProfileCreate(name=name, mapping=mapping))
        self.operations.run(op, self, lambda _r: self.load(select=name), on_error)
