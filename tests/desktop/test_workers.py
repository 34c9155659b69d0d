"""The Runner with real threads: work off the GUI thread, stale results dropped.

Tasks block on ``threading.Event``s the test releases, so the order of events is
forced, never guessed with a sleep.
"""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QWidget

from desktop.workers import Runner
from tests.desktop.conftest import WAIT_MS

GUI = threading.main_thread()


def blocked_task(started: threading.Event, release: threading.Event, result: str):
    def work() -> tuple[str, bool]:
        started.set()
        assert release.wait(WAIT_MS / 1000), "the test never released the task"
        return result, threading.current_thread() is GUI

    return work


def test_work_runs_on_a_worker_and_its_result_arrives_on_the_gui_thread(qtbot):
    runner = Runner()
    delivered: list[tuple[tuple[str, bool], bool]] = []
    started, release = threading.Event(), threading.Event()
    runner.submit(
        blocked_task(started, release, "done"),
        lambda outcome: delivered.append((outcome, threading.current_thread() is GUI)),
    )
    # If the task ran inline, submit() would not return before release: it did.
    assert started.wait(WAIT_MS / 1000)
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert delivered == [(("done", False), True)]
    runner.shutdown()


def test_a_slower_older_result_on_a_channel_is_dropped_for_the_newer_one(qtbot):
    runner = Runner()
    delivered: list[str] = []
    old_started, old_release = threading.Event(), threading.Event()
    new_started, new_release = threading.Event(), threading.Event()
    keep = lambda outcome: delivered.append(outcome[0])  # noqa: E731
    runner.submit(blocked_task(old_started, old_release, "old filter"), keep, channel="page")
    assert old_started.wait(WAIT_MS / 1000)
    runner.submit(blocked_task(new_started, new_release, "new filter"), keep, channel="page")
    assert new_started.wait(WAIT_MS / 1000)  # both run at once, on two threads
    new_release.set()
    qtbot.waitUntil(lambda: delivered == ["new filter"], timeout=WAIT_MS)
    old_release.set()  # the old page finishes last...
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert delivered == ["new filter"]  # ...and never overwrites the new one
    runner.shutdown()


def test_cancel_drops_a_running_result_and_leaves_other_channels_alone(qtbot):
    runner = Runner()
    delivered: list[str] = []
    events = {name: (threading.Event(), threading.Event()) for name in ("a", "b")}
    for name, (started, release) in events.items():
        runner.submit(
            blocked_task(started, release, name), lambda o: delivered.append(o[0]), channel=name
        )
        assert started.wait(WAIT_MS / 1000)
    runner.cancel("a")
    for _started, release in events.values():
        release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert delivered == ["b"]
    runner.shutdown()


def test_a_result_for_a_deleted_owner_is_dropped(qtbot):
    runner = Runner()
    owner = QWidget()
    delivered: list[str] = []
    started, release = threading.Event(), threading.Event()
    runner.submit(
        blocked_task(started, release, "late"), lambda o: delivered.append(o[0]), owner=owner
    )
    assert started.wait(WAIT_MS / 1000)
    owner.deleteLater()  # the dialog closed while its request was in flight
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner), timeout=WAIT_MS)
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert delivered == []
    runner.shutdown()


def test_an_error_reaches_on_error_on_the_gui_thread(qtbot):
    runner = Runner()
    errors: list[tuple[str, bool]] = []

    def fail() -> None:
        raise ValueError("boom")

    runner.submit(
        fail, None, lambda error: errors.append((str(error), threading.current_thread() is GUI))
    )
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert errors == [("boom", True)]
    runner.shutdown()
