"""The detected mapping as controls the user can change; every change asks for a preview.

Column roles list the file's own header; the date format's ambiguous choices are
radio buttons spelled out with the file's own first dates ("01/02/2025 = 1 February
2025"). ``changed`` fires on any edit; the wizard debounces it into one preview.
"""

from __future__ import annotations

import msgspec
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.views.import_wizard.peek import Peek, describe
from wire.imports import ImportColumns, ImportMapping, ImportPreview

ROLES = (
    ("date", "Date"),
    ("description", "Description"),
    ("amount", "Amount"),
    ("debit", "Debit (money out)"),
    ("credit", "Credit (money in)"),
    ("category", "Category"),
    ("notes", "Notes"),
    ("external_id", "Bank id"),
)
NONE = "(none)"
COMMON_DATES = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%d.%m.%y", "%Y%m%d")
DECIMALS = ((".", "Point: 1,234.56"), (",", "Comma: 1.234,56"))
THOUSANDS = (("", "None"), (",", "Comma"), (".", "Point"), (" ", "Space"), ("'", "Apostrophe"))
DECIMAL_OPTION = {
    ".": "Point: 12.50 is twelve and a half",
    ",": "Comma: 12,50 is twelve and a half",
}


def readable(strptime: str) -> str:
    """``%d/%m/%Y`` → ``dd/mm/yyyy``: what a person reads on a statement."""
    text = strptime
    for code, shown in (("%d", "dd"), ("%m", "mm"), ("%Y", "yyyy"), ("%y", "yy"), ("%b", "Mon")):
        text = text.replace(code, shown)
    return text


class MappingForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.base: ImportMapping | None = None  # the preview's mapping, edited by the controls
        self.format = ""
        self.ambiguous: dict[str, list[str]] = {}  # field → options, kept once settled
        self.choice: dict[str, str] = {}  # field → the option the user picked
        self.ambiguity_box = QGroupBox("The file can be read two ways: choose one")
        self.ambiguity_box.setObjectName("ambiguityBox")
        self.ambiguity_layout = QVBoxLayout(self.ambiguity_box)
        self.choices: dict[str, QButtonGroup] = {}
        self.csv_box = QGroupBox("Columns and numbers")
        form = QFormLayout(self.csv_box)
        self.roles: dict[str, QComboBox] = {}
        for role, label in ROLES:
            combo = QComboBox(accessibleName=f"{label} column")
            combo.currentIndexChanged.connect(self._edited)
            self.roles[role] = combo
            form.addRow(f"{label}:", combo)
        self.date_format = QComboBox(accessibleName="Date format")
        self.date_format.currentIndexChanged.connect(self._edited)
        form.addRow("Date format:", self.date_format)
        self.decimal = QComboBox(accessibleName="Decimal separator")
        self.decimal.currentIndexChanged.connect(self._edited)
        form.addRow("Decimal separator:", self.decimal)
        self.thousands = QComboBox(accessibleName="Thousands separator")
        for value, text in THOUSANDS:
            self.thousands.addItem(text, value)
        self.thousands.currentIndexChanged.connect(self._edited)
        form.addRow("Thousands separator:", self.thousands)
        self.negate = QCheckBox("Spending is positive in this file (card statements)")
        self.negate.toggled.connect(self._edited)
        form.addRow(self.negate)
        common = QFormLayout()
        self.account = QLineEdit(placeholderText="e.g. Visa 1234", accessibleName="Account label")
        self.account.setMaxLength(100)
        self.account.textEdited.connect(self._edited)
        common.addRow("Account label:", self.account)
        self.include_credits = QCheckBox("Import credits (money in) as refunds")
        self.include_credits.toggled.connect(self._edited)
        common.addRow(self.include_credits)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.ambiguity_box)
        layout.addWidget(self.csv_box)
        layout.addLayout(common)
        layout.addStretch(1)
        self.reset()

    # --- state ----------------------------------------------------------------------
    def reset(self, *, keep_options: bool = False) -> None:
        """A new file (or profile): nothing chosen, nothing detected.

        ``keep_options``: the account label and credits stay (a profile was picked).
        """
        self.base, self.format = None, ""
        self.ambiguous.clear()
        self.choice.clear()
        if not keep_options:
            self._loading = True
            self.account.clear()
            self.include_credits.setChecked(False)
            self._loading = False
        self.ambiguity_box.hide()
        self.csv_box.hide()

    def unsettled(self) -> list[str]:
        """Ambiguous fields the user has not chosen for yet."""
        return [name for name in self.ambiguous if name not in self.choice]

    def show_preview(self, preview: ImportPreview, seen: Peek) -> None:
        """Fill the controls from what the server read; no ``changed`` meanwhile."""
        self._loading = True
        try:
            self.format = preview.format
            for ambiguity in preview.ambiguities:
                if ambiguity.field not in self.ambiguous:
                    self.ambiguous[ambiguity.field] = list(ambiguity.options)
                    self.choice.pop(ambiguity.field, None)
            self._show_ambiguities(seen)
            if not self.account.text().strip() and preview.account:
                self.account.setText(preview.account)
            self.base = preview.mapping
            self.csv_box.setVisible(preview.mapping is not None)
            if preview.mapping is not None:
                self._show_mapping(preview.mapping, seen)
        finally:
            self._loading = False

    def show_columns(self, mapping: ImportMapping, seen: Peek) -> None:
        """No preview: the server found no columns. The header, for the user to map."""
        self._loading = True
        try:
            self.format, self.base = "csv", mapping
            self.csv_box.show()
            self._show_mapping(mapping, seen)
        finally:
            self._loading = False

    def _show_ambiguities(self, seen: Peek) -> None:
        while self.ambiguity_layout.count():
            item = self.ambiguity_layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.choices.clear()
        for name, options in self.ambiguous.items():
            question = "How are the dates written?" if name == "date_format" else (
                "Which is the decimal separator?")  # fmt: skip
            self.ambiguity_layout.addWidget(QLabel(f"<b>{question}</b>"))
            group = QButtonGroup(self)
            for option in options:
                text = describe(option, seen.dates, options) if name == "date_format" else (
                    DECIMAL_OPTION.get(option, option))  # fmt: skip
                button = QRadioButton(text)
                button.setProperty("option", option)
                button.setChecked(self.choice.get(name) == option)
                group.addButton(button)
                self.ambiguity_layout.addWidget(button)
            group.buttonClicked.connect(lambda button, n=name: self._chose(n, button))
            self.choices[name] = group
        self.ambiguity_box.setVisible(bool(self.ambiguous))

    def _show_mapping(self, mapping: ImportMapping, seen: Peek) -> None:
        columns = mapping.columns or ImportColumns()
        header: list[str | int] = list(seen.header)
        for role, combo in self.roles.items():
            current = getattr(columns, role)
            combo.clear()
            combo.addItem(NONE, None)
            for index, name in enumerate(header):
                combo.addItem(str(name), name if isinstance(current, str) or current is None
                              else index)  # fmt: skip
            if current is not None and combo.findData(current) < 0:
                combo.addItem(str(current), current)
            combo.setCurrentIndex(max(combo.findData(current), 0))
        self.date_format.clear()
        formats = list(COMMON_DATES)
        for option in [*self.ambiguous.get("date_format", []), mapping.date_format or ""]:
            if option and option not in formats:
                formats.insert(0, option)
        if mapping.date_format is None:
            self.date_format.addItem("Choose above" if self.ambiguous else "Detect", None)
        for value in formats:
            self.date_format.addItem(readable(value), value)
        self.date_format.setCurrentIndex(max(self.date_format.findData(mapping.date_format), 0))
        self.decimal.clear()
        if mapping.decimal is None:
            self.decimal.addItem("Choose above" if "decimal" in self.ambiguous else "Detect", None)
        for value, text in DECIMALS:
            self.decimal.addItem(text, value)
        self.decimal.setCurrentIndex(max(self.decimal.findData(mapping.decimal), 0))
        self.thousands.setCurrentIndex(max(self.thousands.findData(mapping.thousands), 0))
        self.negate.setChecked(mapping.negate)

    def _chose(self, name: str, button: QRadioButton) -> None:
        self.choice[name] = str(button.property("option"))
        if name == "date_format" and self.base is not None:
            self._loading = True
            index = self.date_format.findData(self.choice[name])
            if index >= 0:
                self.date_format.setCurrentIndex(index)
            self._loading = False
        self.changed.emit()

    def _edited(self, *_args: object) -> None:
        if self._loading:
            return
        if self.base is not None and "date_format" in self.ambiguous:
            picked = self.date_format.currentData()
            if picked in self.ambiguous["date_format"]:
                self.choice["date_format"] = picked
                for button in self.choices["date_format"].buttons():
                    button.setChecked(button.property("option") == picked)
        self.changed.emit()

    # --- the mapping sent -------------------------------------------------------------
    def mapping(self) -> ImportMapping | None:
        """What the next preview or the import sends (``None``: let the server detect)."""
        if self.base is None:  # OFX, camt, QIF: only a QIF's ambiguity is the user's to settle
            settled = {name: value for name, value in self.choice.items()}
            return msgspec.convert(settled, ImportMapping) if settled else None
        roles = {role: combo.currentData() for role, combo in self.roles.items()}
        columns = ImportColumns(
            **{role: value for role, value in roles.items() if value is not None}
        )
        chosen = self.date_format.currentData()
        decimal = self.decimal.currentData()
        if "decimal" in self.ambiguous:  # the radio buttons decide, or nothing does yet
            decimal = self.choice.get("decimal")
        return msgspec.structs.replace(
            self.base,
            columns=columns,
            date_format=chosen if chosen is not None else self.base.date_format,
            decimal=decimal,
            thousands=self.thousands.currentData(),
            negate=self.negate.isChecked(),
        )
