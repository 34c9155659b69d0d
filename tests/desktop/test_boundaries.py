"""The desktop never imports the server: one direction of dependency (DESIGN.md)."""

from __future__ import annotations

import subprocess
import sys

from tests.support import REPO_ROOT

CHECK = """
import sys
import desktop.app, desktop.demo, desktop.demo_window, desktop.views.main_window
server = sorted(m for m in sys.modules
                if m == "api" or m.startswith(("api.", "litestar", "piccolo", "asyncpg")))
print(",".join(server))
"""


def test_desktop_modules_do_not_import_the_server():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
