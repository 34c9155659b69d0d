"""Screenshots of the import wizard (``demo --screenshot``): an ambiguity being resolved.

The demo's ambiguous CSV loaded: first as the file reads (every row an error, the
two readings spelled out with the file's own dates, Import disabled and saying why),
then with "Day first" chosen (the rows new, Import ready).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QRadioButton

from desktop.demo_window import DEMO_STATEMENTS, settle, wait_until
from desktop.views.main_window import MainWindow

AMBIGUOUS = DEMO_STATEMENTS / "corner-bank-november.csv"


def render(window: MainWindow, directory: Path) -> list[Path]:
    wizard = window.transfer.open_wizard(AMBIGUOUS)
    wizard.resize(1200, 680)

    def quiet() -> bool:
        return not wizard.timer.isActive() and not wizard.busy and window.runner.pending == 0

    wait_until(lambda: wizard.preview is not None and quiet())
    settle(wizard)
    paths = [directory / "import-wizard-ambiguous.png"]
    wizard.grab().save(str(paths[0]), "PNG")
    buttons = wizard.form.ambiguity_box.findChildren(QRadioButton)
    day_first = next((b for b in buttons if b.text().startswith("Day first")), None)
    if day_first is not None:
        day_first.click()
        wait_until(lambda: quiet() and not wizard.form.unsettled())
        settle(wizard)
        paths.append(directory / "import-wizard.png")
        wizard.grab().save(str(paths[-1]), "PNG")
    wizard.reject()
    return paths
