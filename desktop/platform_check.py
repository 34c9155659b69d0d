"""Before Qt starts on Linux/X11: are the system libraries its xcb plugin needs there?

Qt ≥ 6.5's xcb platform plugin links X11 helper libraries that many desktops (and
every minimal install) lack, ``libxcb-cursor0`` first of all. Without them Qt prints
"could not load the Qt platform plugin" and calls ``abort()`` — no traceback, no
cleanup. This module looks the libraries up first and, when some are missing, says
the one command that installs them on each common distribution.

The lookup asks ``ldd`` about Qt's own xcb plugin (what the loader will really do,
bundled libraries included); without ``ldd`` or the plugin it falls back to
``ctypes.util.find_library`` (the dynamic linker's cache).
"""

from __future__ import annotations

import ctypes.util
import functools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class XcbLibrary:
    """A library and its package per distribution (Arch names follow Fedora's,
    openSUSE's follow Debian's, unless given)."""

    name: str  # as find_library wants it: "xcb-cursor" for libxcb-cursor.so.0
    debian: str
    fedora: str
    arch_name: str = ""
    opensuse_name: str = ""

    @property
    def arch(self) -> str:
        return self.arch_name or self.fedora

    @property
    def opensuse(self) -> str:
        return self.opensuse_name or self.debian


# What libqxcb.so and libQt6XcbQpa.so link beyond the X11 core (``ldd`` of both).
LIBRARIES = (
    XcbLibrary("xcb-cursor", "libxcb-cursor0", "xcb-util-cursor"),
    XcbLibrary("xcb-icccm", "libxcb-icccm4", "xcb-util-wm"),
    XcbLibrary("xcb-keysyms", "libxcb-keysyms1", "xcb-util-keysyms"),
    XcbLibrary("xcb-image", "libxcb-image0", "xcb-util-image"),
    XcbLibrary("xcb-render-util", "libxcb-render-util0", "xcb-util-renderutil"),
    XcbLibrary("xcb-util", "libxcb-util1", "xcb-util"),
    XcbLibrary("xkbcommon-x11", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    XcbLibrary("xcb-shape", "libxcb-shape0", "libxcb"),
    XcbLibrary("xcb-randr", "libxcb-randr0", "libxcb"),
    XcbLibrary("xcb-xkb", "libxcb-xkb1", "libxcb"),
    XcbLibrary("X11-xcb", "libx11-xcb1", "libX11-xcb", "libx11", "libX11-xcb1"),
)

INSTALLERS = (
    ("Debian/Ubuntu", "sudo apt-get install", "debian"),
    ("Fedora", "sudo dnf install", "fedora"),
    ("Arch", "sudo pacman -S --needed", "arch"),
    ("openSUSE", "sudo zypper install", "opensuse"),
)


def platform_will_be_xcb(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """What Qt will choose: xcb on Linux unless told otherwise or in a Wayland session."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen:
        return chosen == "xcb"
    # In a Wayland session Qt 6 takes its wayland plugin.
    return not (environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland")


def xcb_plugin() -> Path | None:
    """Qt's xcb platform plugin as installed with PySide6 (or inside a bundle)."""
    try:
        import PySide6  # the package only: no Qt library is loaded yet
    except ImportError:
        return None
    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return plugin if plugin.exists() else None


@functools.cache
def _unresolved_by_ldd() -> frozenset[str] | None:
    """Sonames the loader cannot find for the plugin; None when ldd cannot tell."""
    plugin, ldd = xcb_plugin(), shutil.which("ldd")
    if plugin is None or ldd is None:
        return None
    env = dict(os.environ)
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller bundle's own libraries
    if bundle:
        env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [bundle, env.get("LD_LIBRARY_PATH")]))
    try:
        result = subprocess.run(  # noqa: S603  (ldd on our own plugin file)
            [ldd, str(plugin)], capture_output=True, text=True, timeout=10, env=env, check=False
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return frozenset(re.findall(r"^\s*(\S+) => not found", result.stdout, re.MULTILINE))


def system_lookup(name: str) -> str | None:
    """``find_library``'s contract (a name, or None), answered by ldd when it can."""
    unresolved = _unresolved_by_ldd()
    if unresolved is None:
        return ctypes.util.find_library(name)
    prefix = f"lib{name}.so"
    return None if any(soname.startswith(prefix) for soname in unresolved) else prefix


def missing_libraries(find: Callable[[str], str | None] = system_lookup) -> list[XcbLibrary]:
    return [library for library in LIBRARIES if not find(library.name)]


def install_commands(missing: list[XcbLibrary]) -> list[str]:
    """One line per distribution, each naming only the packages that are missing."""
    lines = []
    for distribution, command, field in INSTALLERS:
        packages = list(dict.fromkeys(getattr(library, field) for library in missing))
        lines.append(f"  {distribution + ':':<15} {command} {' '.join(packages)}")
    return lines


def xcb_problem(
    environ: Mapping[str, str] | None = None,
    find: Callable[[str], str | None] = system_lookup,
    platform: str = sys.platform,
) -> str | None:
    """The message to print instead of starting Qt, or None when all is well."""
    environ = os.environ if environ is None else environ
    if not platform_will_be_xcb(environ, platform):
        return None
    missing = missing_libraries(find)
    if not missing:
        return None
    names = ", ".join(f"lib{library.name}" for library in missing)
    return "\n".join(
        [
            "Expense Tracker cannot open a window: this system lacks libraries that",
            f"Qt's X11 support needs ({names}).",
            "Install them with the command for your system:",
            "",
            *install_commands(missing),
            "",
            "Then start Expense Tracker again. (Set QT_QPA_PLATFORM=wayland on a Wayland",
            "desktop to skip X11.)",
        ]
    )
