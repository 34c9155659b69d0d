"""The desktop bundle for this machine, built from the committed spec and run the
way a user would: the frozen app starts its own API and PostgreSQL and renders
its views offscreen (`demo --screenshot`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from tests.release.helpers import REPO, SPEC

# The bundle carries the desktop app, the API server and PostgreSQL 16; the
# research behind it measured ~220 MB for an untrimmed PySide6 + pyqtgraph app
# alone. A dependency that drags in a large tree fails this.
SIZE_BUDGET_MB = 280
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CI builds the others"),
]


def folder_size(folder: Path) -> int:
    # Symlinks (PyInstaller links Qt libraries into place) are counted once, as targets.
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        pytest.fail("PyInstaller is missing: `pip install -e .[bundle]` (part of the infra extra)")
    work = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=900,
    )
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        pytest.fail(f"PyInstaller exited {result.returncode}:\n{result.stderr[-5000:]}")
    folder = work / "dist" / "expense-tracker"
    size_mb = folder_size(folder) / 1e6
    print(f"\nbundle: {folder} — {size_mb:.0f} MB, built in {elapsed:.0f} s")
    return folder


def test_bundle_runs_the_demo_offscreen_and_writes_screenshots(bundle, tmp_path):
    shots = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # A developer's DATABASE_URL must not leak into the demo's embedded server.
    env.pop("DATABASE_URL", None)
    command = [str(bundle / "expense-tracker"), "demo", "--screenshot", str(shots)]
    command += ["--data-dir", str(tmp_path / "demo")]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    server_log = tmp_path / "demo" / "server.log"
    assert result.returncode == 0, (
        f"the bundled demo exited {result.returncode}:\n{result.stdout}\n{result.stderr[-5000:]}"
        + (f"\nserver.log:\n{server_log.read_text()[-3000:]}" if server_log.exists() else "")
    )
    pngs = sorted(shots.glob("*.png"))
    assert pngs, f"no screenshots in {shots}:\n{result.stdout}"
    for png in pngs:
        assert png.read_bytes()[:8] == PNG_SIGNATURE, png
        assert png.stat().st_size > 10_000, f"{png} is suspiciously small"


def test_bundle_stays_within_its_size_budget(bundle):
    size_mb = folder_size(bundle) / 1e6
    assert size_mb < SIZE_BUDGET_MB, f"bundle is {size_mb:.0f} MB (budget {SIZE_BUDGET_MB} MB)"


def test_linux_bundle_has_a_desktop_entry_and_icon_with_the_project_version(bundle):
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    entry = (bundle / "expense-tracker.desktop").read_text()
    assert "Exec=expense-tracker" in entry
    assert "Icon=expense-tracker" in entry
    assert f"X-AppVersion={version}" in entry
    assert (bundle / "expense-tracker.png").read_bytes()[:8] == PNG_SIGNATURE
    assert os.access(bundle / "install.sh", os.X_OK)
    metadata = bundle / "_internal" / f"expense_tracker-{version}.dist-info"
    assert metadata.is_dir(), "api.version reads the version from the bundled metadata"


def test_bundle_runs_only_the_server_module(bundle):
    result = subprocess.run(
        [str(bundle / "expense-tracker"), "-m", "os"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert "not part of this bundle" in result.stderr
