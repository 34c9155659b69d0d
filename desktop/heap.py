"""Keeping Python's memory work off the GUI thread's clock while 100k rows load.

Two costs grow with the rows loaded and stop the GUI thread, measured in issue 16:

* A full garbage collection walks every object the collector tracks — about 300k
  with 100k expenses and Qt's modules — and holds the GIL for it: 100-150 ms,
  whichever thread (a page's worker, decoding) happened to trigger it. ``settle()``
  collects what is new, then moves everything alive to the permanent generation
  (``gc.freeze``), which no later collection walks: each pass then only sees what
  was made since the last page. Rows are still freed as soon as nothing refers to
  them (reference counting); what freezing gives up is collecting a *cycle* among
  objects that were alive at a freeze — long-lived widgets, in this app.
* Freeing 100k rows at once (a new sort or filter) is one C call under the GIL:
  50-100 ms. ``release()`` frees them on a pool thread a slice at a time, so the
  GUI thread gets the GIL back between slices.
"""

from __future__ import annotations

import gc
from typing import Any

from PySide6.QtCore import QThreadPool

SLICE = 1000  # rows freed per step: about a millisecond


def settle(*, collect: bool = True) -> None:
    """After long-lived objects were made (the window, a page of rows).

    ``collect=False`` at start-up: a first collection would walk every object made
    so far (~100k, 50-90 ms) before the first paint, and finds no cycle there (0,
    measured after the window is built).
    """
    if collect:
        gc.collect()  # cheap: only what was made since the last settle() is walked
    gc.freeze()


def release(rows: list[Any]) -> None:
    """Free ``rows`` (nobody else may use the list any more) off the GUI thread."""
    if len(rows) > SLICE:
        QThreadPool.globalInstance().start(lambda: free(rows))


def free(rows: list[Any]) -> None:
    while rows:
        del rows[-SLICE:]  # one slice per bytecode: the GIL can change hands between
