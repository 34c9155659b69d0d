"""Entry point of the frozen desktop bundle (PyInstaller runs this as ``__main__``).

In a bundle there is no Python interpreter: ``sys.executable`` is this program.
The desktop demo starts the API the way it does from a source tree, as
``[sys.executable, "-m", "api.cli", "serve", ...]``; here that command line arrives
at this launcher, which runs the named module as ``python -m`` would. Only the
server modules the bundle carries are accepted, so the bundle is not a general
Python interpreter.
"""

from __future__ import annotations

import os
import runpy
import sys

# `python -m <module>` command lines the bundle answers, besides the app itself.
RUNNABLE_MODULES = frozenset({"api.cli"})


def restore_library_path() -> None:
    """Give child processes the library path the user had, not the bundle's.

    PyInstaller's bootloader points LD_LIBRARY_PATH at the bundle for this
    process; the embedded PostgreSQL's programs must load their own libraries.
    (This process already resolved its libraries; the change only reaches
    children. A child that is this program sets the bundle's path again.)
    """
    if not getattr(sys, "frozen", False) or not sys.platform.startswith("linux"):
        return
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original


def main() -> None:
    # A windowed build (Windows, macOS) may start without standard streams;
    # the server's logging and the CLI's messages then go nowhere, harmlessly.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

    restore_library_path()

    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "-m":
        module = args[1]
        if module not in RUNNABLE_MODULES:
            sys.exit(f"{sys.argv[0]}: -m {module}: not part of this bundle")
        # What `python -m module args...` does: argv[0] names the module.
        sys.argv = [module, *args[2:]]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return

    from desktop.app import main as desktop_main

    sys.exit(desktop_main())


if __name__ == "__main__":
    main()
