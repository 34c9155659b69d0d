"""Inline field errors: a small message under each input, the input outlined.

Used by every form, so the API's per-field 422 messages land next to the field the
user has to fix, and the typed text stays where it was.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.views.theme import rgba, tones


class FieldErrors:
    """Error labels keyed by field name (the API's field names)."""

    def __init__(self) -> None:
        self.labels: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}

    def add_row(
        self,
        form: QFormLayout,
        label: str,
        name: str,
        field: QWidget,
        beside: Sequence[QWidget] = (),
    ) -> QWidget:
        """A row of ``field`` (outlined on error), ``beside`` it on its right; the holder."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if beside:
            line = QHBoxLayout()
            line.addWidget(field, 1)
            for widget in beside:
                line.addWidget(widget)
            column.addLayout(line)
        else:
            column.addWidget(field)
        error = QLabel(wordWrap=True, objectName=f"error_{name}")
        error.setStyleSheet(f"color: {rgba(tones().error_text)}; font-size: 11px;")
        error.hide()
        column.addWidget(error)
        form.addRow(label, holder)
        # The label is the holder's, so screen readers would not find it: name the field.
        if not field.accessibleName():
            field.setAccessibleName(label)
        self.labels[name], self.inputs[name] = error, field
        return holder

    def set(self, name: str, message: str) -> bool:
        """Show ``message`` under ``name``; False when there is no such field."""
        label = self.labels.get(name)
        if label is None:
            return False
        label.setText(message)
        label.setVisible(bool(message))
        field = self.inputs[name]
        field.setProperty("invalid", bool(message))
        field.setStyleSheet(
            f"border: 1px solid {rgba(tones().error_text)}; border-radius: 3px;" if message else ""
        )
        return True

    def clear(self) -> None:
        for name in self.labels:
            self.set(name, "")

    def message(self, name: str) -> str:
        label = self.labels.get(name)
        return label.text() if label is not None and label.isVisible() else ""

    def show_all(self, messages: dict[str, str]) -> list[str]:
        """Show the messages that have a field; return the ones that do not."""
        return [f"{name}: {text}" for name, text in messages.items() if not self.set(name, text)]
