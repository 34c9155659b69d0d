"""Run blocking calls off the UI thread; hand results back by signal.

The pattern of Anki's ``taskman`` and superqt's workers: a callable runs in a
``QThreadPool``; its outcome is emitted by a signal object created in (and so
delivered to) the GUI thread. Each task may belong to a *channel*; submitting a new
task on a channel makes older results on it stale, and stale results are dropped —
so a slow page of an old filter never overwrites the current one.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

logger = logging.getLogger(__name__)
Callback = Callable[[Any], None]


class _Relay(QObject):
    finished = Signal(int, object, object)  # task id, result, error


def _run(task_id: int, fn: Callable[[], Any], relay: _Relay) -> None:  # worker thread
    try:
        result, error = fn(), None
    except Exception as exc:  # handed to the GUI thread, which decides what to say
        result, error = None, exc
    relay.finished.emit(task_id, result, error)


class Runner(QObject):
    """Submit callables; get ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._deliver)
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[str | None, int, Callback | None, Callback | None, Any]] = {}
        self._generation: dict[str, int] = {}

    @property
    def pending(self) -> int:
        return len(self._pending)

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        *,
        channel: str | None = None,
        owner: QObject | None = None,
    ) -> int:
        """Run ``fn()`` in the pool. ``owner``: skip callbacks once it is deleted."""
        task_id = next(self._ids)
        generation = 0
        if channel is not None:
            generation = self._generation.get(channel, 0) + 1
            self._generation[channel] = generation
        self._pending[task_id] = (channel, generation, on_done, on_error, owner)
        if len(self._pending) == 1:
            self.busyChanged.emit(True)
        # A plain callable, not a QRunnable subclass: Qt deletes a finished QRunnable
        # on its worker thread without the GIL, and PySide's teardown of a Python
        # subclass there takes Qt's signal-connection lock, then waits for the GIL,
        # while the GUI thread, holding the GIL, waits for that lock to connect a
        # signal: both stop for good (seen under load, building the import wizard).
        # A callable is released under the GIL, so the two locks keep one order.
        self.pool.start(functools.partial(_run, task_id, fn, self._relay))
        return task_id

    def cancel(self, channel: str) -> None:
        """Make every running task of ``channel`` stale."""
        self._generation[channel] = self._generation.get(channel, 0) + 1

    @Slot(int, object, object)
    def _deliver(self, task_id: int, result: object, error: object) -> None:
        channel, generation, on_done, on_error, owner = self._pending.pop(task_id)
        if not self._pending:
            self.busyChanged.emit(False)
        if channel is not None and self._generation.get(channel) != generation:
            return
        if owner is not None and not shiboken6.isValid(owner):
            return
        if error is None:
            if on_done:
                on_done(result)
        elif on_error:
            on_error(error)
        else:
            logger.error("background task failed", exc_info=error)  # type: ignore[arg-type]

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Drop every pending result and wait briefly for threads (window closing)."""
        for channel in list(self._generation):
            self.cancel(channel)
        self._pending = {k: (None, 0, None, None, None) for k in self._pending}
        self.pool.waitForDone(timeout_ms)
