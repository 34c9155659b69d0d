"""Packs a built bundle (dist/) into one archive named for the version and platform.

    python packaging/desktop/archive.py dist out
    -> out/expense-tracker-0.1.0-linux-x86_64.tar.gz   (folder, .desktop file, icon)
    -> out/expense-tracker-0.1.0-windows-amd64.zip     (folder with expense-tracker.exe)
    -> out/expense-tracker-0.1.0-macos-arm64.zip       (Expense Tracker.app)

Prints the archive's path. macOS archives are made with `ditto`, which keeps the
.app's symlinks and extended attributes (a plain zip breaks its signature).
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
import tarfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def project() -> tuple[str, str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return meta["name"], meta["version"]


def archive(dist: Path, out: Path) -> Path:
    name, version = project()
    machine = platform.machine().lower() or "unknown"
    out.mkdir(parents=True, exist_ok=True)
    if sys.platform == "darwin":
        app = dist / f"{name.replace('-', ' ').title()}.app"
        target = out / f"{name}-{version}-macos-{machine}.zip"
        ditto = ["/usr/bin/ditto", "-c", "-k", "--sequesterRsrc", "--keepParent"]
        subprocess.run([*ditto, str(app), str(target)], check=True)  # noqa: S603
        return target
    folder = dist / name
    if not folder.is_dir():
        raise SystemExit(f"{folder} does not exist: build the bundle first (make bundle)")
    if sys.platform == "win32":
        base = out / f"{name}-{version}-windows-{machine}"
        return Path(shutil.make_archive(str(base), "zip", root_dir=dist, base_dir=name))
    target = out / f"{name}-{version}-linux-{machine}.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        tar.add(folder, arcname=name)
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    print(archive(Path(argv[0]), Path(argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
