"""Guard against the Qt binding bug that made the app abort after a while.

PySide6 6.12.0 on CPython 3.11 loses a reference to ``True`` on every signal
``emit()`` and to ``None`` on every void call; after a few thousand the
interpreter aborts with "deallocating None". pyproject.toml excludes that build;
this test fails loudly if an environment brings it back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_signal_emits_and_void_calls_keep_reference_counts(qapp):
    emitter = _Emitter()
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        emitter.fired.emit(1)
        emitter.setObjectName("x")
        QCoreApplication.processEvents()
    assert sys.getrefcount(True) >= before_true - 5
    assert sys.getrefcount(None) >= before_none - 5
