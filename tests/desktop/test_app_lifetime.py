"""Start and stop like an app: no raw Qt abort, and nothing outlives the demo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from desktop.demo import why_it_stopped
from desktop.platform_check import LIBRARIES, missing_libraries, xcb_problem
from tests.api.test_embedded import postmaster, wait_for
from tests.support import REPO_ROOT

LINUX_X11 = {"DISPLAY": ":0"}


def test_missing_xcb_libraries_are_named_with_one_install_command_per_distribution():
    present = {"xcb-icccm", "xcb-image", "xcb-util", "xcb-shape", "xcb-randr", "xcb-xkb"}
    present |= {"X11-xcb", "xkbcommon-x11", "xcb-render-util"}

    def fake_find(name: str) -> str | None:
        return f"lib{name}.so.0" if name in present else None

    message = xcb_problem(LINUX_X11, fake_find, "linux")
    assert message is not None
    assert "libxcb-cursor, libxcb-keysyms" in message
    assert "sudo apt-get install libxcb-cursor0 libxcb-keysyms1\n" in message + "\n"
    assert "sudo dnf install xcb-util-cursor xcb-util-keysyms" in message
    assert "sudo pacman -S --needed xcb-util-cursor xcb-util-keysyms" in message
    assert "sudo zypper install libxcb-cursor0 libxcb-keysyms1" in message
    assert "icccm" not in message


def test_nothing_is_said_when_every_library_is_there():
    assert xcb_problem(LINUX_X11, lambda name: f"lib{name}.so", "linux") is None
    assert missing_libraries(lambda name: "found") == []


def test_no_check_when_qt_will_not_use_xcb():
    nothing = lambda name: None  # noqa: E731  (every library missing)
    assert xcb_problem({"QT_QPA_PLATFORM": "offscreen", **LINUX_X11}, nothing, "linux") is None
    wayland = {"WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}
    assert xcb_problem(wayland, nothing, "linux") is None
    assert xcb_problem(LINUX_X11, nothing, "darwin") is None
    assert xcb_problem(LINUX_X11, nothing, "win32") is None
    assert xcb_problem({"QT_QPA_PLATFORM": "xcb"}, nothing, "linux") is not None
    # Every package is named once even though several libraries share one.
    message = xcb_problem(LINUX_X11, nothing, "linux") or ""
    assert message.count(" libxcb ") + message.endswith(" libxcb") <= 2
    assert len(LIBRARIES) == 11


def test_the_app_prints_the_install_command_instead_of_aborting(monkeypatch, capsys):
    import desktop.app

    monkeypatch.setattr(desktop.app, "xcb_problem", lambda: "install libxcb-cursor0")
    assert desktop.app.main([]) == 2
    assert "install libxcb-cursor0" in capsys.readouterr().err


def test_an_api_that_cannot_start_is_explained_in_its_own_words(tmp_path):
    log = tmp_path / "server.log"
    log.write_text("old run: The embedded database is an old story\n")
    start = log.stat().st_size
    with log.open("a") as out:
        out.write(
            '{"event": "Traceback", "exc": "EmbeddedDatabaseError: The embedded database in /x '
            'did not start (AssertionError: ). Its log is /x/log.", "level": "error"}\n'
        )
    assert why_it_stopped(log, start) == (
        "The embedded database in /x did not start (AssertionError: ). Its log is /x/log."
    )
    assert "its log is" in why_it_stopped(tmp_path / "none.log")
    pgserver = tmp_path / "pgserver.log"
    pgserver.write_text(  # what pgserver logs when PostgreSQL refuses to start
        '{"event": "Failed to start server.\\nShowing contents of postgres server log below:'
        '\\npostgres: could not access the server configuration file \\"/x/postgresql.conf'
        '\\": No such file or directory\\n", "level": "error"}\n'
    )
    message = why_it_stopped(pgserver)
    assert "did not start (postgres: could not access the server configuration file)" in message
    assert f"deleting {tmp_path} starts the demo afresh" in message


def test_kill_9_of_the_demo_stops_the_api_and_its_postgresql(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO_ROOT))
    demo = subprocess.Popen(
        [sys.executable, "-m", "desktop.app", "demo", "--data-dir", str(tmp_path)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert demo.stdout is not None
        for line in demo.stdout:  # the demo says when the API answers and is seeded
            if "signed in as" in line:
                break
        else:
            raise AssertionError("the demo ended before its window opened")
        (api,) = psutil.Process(demo.pid).children()
        pgdata = tmp_path / "pgdata"
        assert postmaster(pgdata) is not None

        time.sleep(1)  # the window is up and the event loop runs
        assert demo.poll() is None, "the demo ended by itself"
        demo.send_signal(signal.SIGKILL)  # like a Qt abort: no cleanup runs in the app
        demo.wait(10)
        api.wait(60)
        wait_for(lambda: postmaster(pgdata) is None, 60)
    finally:
        if demo.poll() is None:
            demo.kill()


def test_the_lookup_asks_ldd_about_qts_plugin_first(monkeypatch):
    from desktop import platform_check

    monkeypatch.setattr(
        platform_check, "_unresolved_by_ldd", lambda: frozenset({"libxcb-cursor.so.0"})
    )
    assert platform_check.system_lookup("xcb-cursor") is None
    assert platform_check.system_lookup("xcb-icccm") == "libxcb-icccm.so"
    monkeypatch.setattr(platform_check, "_unresolved_by_ldd", lambda: None)  # no ldd
    monkeypatch.setattr(platform_check.ctypes.util, "find_library", lambda name: None)
    assert platform_check.system_lookup("xcb-icccm") is None


@pytest.mark.skipif(not missing_libraries(), reason="this machine has every xcb library")
def test_on_a_machine_without_the_libraries_the_real_app_explains_instead_of_aborting():
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=":99", PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run(
        [sys.executable, "-m", "desktop.app"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "sudo apt-get install" in result.stderr
    assert "could not load the Qt platform plugin" not in result.stderr
