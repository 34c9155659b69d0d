"""``expense-tracker``: start the desktop app (or ``expense-tracker demo``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.platform_check import xcb_problem
from desktop.qt_app import application


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="expense-tracker", description="Expense Tracker")
    parser.add_argument("--server", metavar="URL", help="API server (overrides the saved one)")
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser(
        "demo", help="start an embedded database and API with a demo account, then the app"
    )
    demo.add_argument(
        "--screenshot", metavar="DIR", type=Path, help="render the views to PNG files in DIR, exit"
    )
    demo.add_argument("--data-dir", metavar="DIR", type=Path, help="demo data folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Before Qt loads its platform plugin: a missing X11 library makes Qt abort()
    # with a raw plugin error, skipping every cleanup (and the demo's API child).
    if (problem := xcb_problem()) is not None:
        print(problem, file=sys.stderr)
        return 2
    if args.command == "demo":
        from desktop.demo import run_demo

        return run_demo(args.screenshot, args.data_dir)
    app = application()
    from desktop.client import ApiClient
    from desktop.session import Session, TokenStore
    from desktop.settings import AppSettings
    from desktop.views.main_window import MainWindow
    from desktop.views.theme import apply_theme

    settings = AppSettings()
    if settings.theme != "system":
        apply_theme(settings.theme)  # before the first window paints
    # --server wins for this run; it is saved once a sign-in there succeeds.
    session = Session(ApiClient(args.server or settings.server), TokenStore())
    window = MainWindow(session, settings)
    window.show()
    window.start()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
