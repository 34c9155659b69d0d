"""docs/user-guide.md: its shortcuts table is the app's, and every view has a picture."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from types import ModuleType

from tests.docs.conftest import REPO

GUIDE = REPO / "docs" / "user-guide.md"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_shortcuts", REPO / "docs" / "shortcuts.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shortcuts_table_is_generated_from_the_main_windows_actions():
    # A process of its own: the generator builds its own QApplication and window.
    result = subprocess.run(
        [sys.executable, REPO / "docs" / "shortcuts.py"],
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    generated = result.stdout
    assert "| Edit | New | `Ctrl+N` |" in generated, generated
    documented = _generator().guide_table(GUIDE.read_text(encoding="utf-8"))
    assert documented == generated, "run: python docs/shortcuts.py --write"


def test_each_view_has_a_screenshot_that_exists():
    text = GUIDE.read_text(encoding="utf-8")
    for name in ("expenses", "dashboard", "dashboard-dark"):
        assert f"](screenshots/{name}.png)" in text, name
        assert (REPO / "docs" / "screenshots" / f"{name}.png").stat().st_size > 10_000, name


def test_the_guide_covers_what_users_ask():
    text = GUIDE.read_text(encoding="utf-8")
    for heading in ("Install", "First run", "Expenses", "Dashboard", "Import and export",
                    "Keyboard shortcuts", "Where your data lives", "Troubleshooting"):  # fmt: skip
        assert f"\n## {heading}\n" in text, heading
    assert "libxcb-cursor0" in text
