"""The one ``QApplication``, shared by the app and the demo launcher.

Its own module so that ``app`` (which starts the demo) and ``demo`` (which needs
the application) do not import each other.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from desktop.settings import APPLICATION, ORGANISATION


def application() -> QApplication:
    """The one QApplication, named so that QSettings lands in the right place."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        QApplication.setOrganizationName(ORGANISATION)
        QApplication.setApplicationName(APPLICATION)
        QApplication.setApplicationDisplayName(APPLICATION)
        app = QApplication(sys.argv[:1])
    return app
