"""The app's own CSV (an export, a backup) imported back: a server dry run, then confirm.

Not the bank-file wizard: the app's CSV carries what bank files cannot (currency,
charged amounts, tags, split receipts), and its own route (``/expenses/import``)
reads all of it back exactly; the wizard hands such a file over to this.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wire.expenses import ImportReport


class ImportPreviewDialog(QDialog):
    def __init__(self, filename: str, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import expenses")
        self.setMinimumSize(520, 320)
        self.report = report
        summary = QLabel(wordWrap=True)
        noun = "expense" if report.created == 1 else "expenses"
        lines = [f"<b>{filename}</b>", f"{report.created} new {noun} will be added."]
        if report.duplicates:
            lines.append(f"{report.duplicates} already exist and will be skipped.")
        if report.errors:
            lines.append(
                f"<b>{len(report.errors)} line(s) have problems.</b> Nothing will be imported "
                "until they are fixed in the file."
            )
        summary.setText("<br>".join(lines))
        self.errors = QTableWidget(len(report.errors), 2)
        self.errors.setHorizontalHeaderLabels(["Line", "Problem"])
        self.errors.verticalHeader().hide()
        self.errors.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, problem in enumerate(report.errors):
            self.errors.setItem(row, 0, QTableWidgetItem(str(problem.line)))
            self.errors.setItem(row, 1, QTableWidgetItem(problem.message))
        self.errors.setVisible(bool(report.errors))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setEnabled(not report.errors and report.created > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.errors, 1)
        layout.addWidget(buttons)
