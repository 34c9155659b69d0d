"""``OperationRunner``: the one place every change goes through.

``run(op, initiator)`` writes the op to the durable queue first, then sends the
queue's head on the ``Runner``, one op at a time, in order. When the server agreed,
the inverse goes on the undo stack and ``executed(changes, initiator)`` tells the
views. When the server cannot be reached the op simply stays queued ("Offline — N
changes waiting"); ``sync()`` (a timer, or the server answering a read) resumes.
A 412 on a queued edit stops the queue at that op and asks, through ``conflict``,
which values win (``resolve``); nothing after it is sent out of order meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.client import ApiClient
from desktop.errors import NotSignedIn, ServerUnreachable
from desktop.local.store import LocalStore, Queued
from desktop.operations.calls import Conflict, perform
from desktop.operations.inverses import inverse
from desktop.operations.ops import Call, Op
from desktop.workers import Runner
from wire.expenses import Expense

logger = logging.getLogger(__name__)
RETRY_MS = 5000
Sent = tuple[Queued, list[Expense | None]]  # the op and the server's answers
Done = Callable[[list[Expense | None] | None], None]  # None: queued, sent later


@dataclass
class _Waiter:
    """Who made an op in this process, and whether they still wait for its answer."""

    initiator: object
    on_done: Done | None
    on_error: Callable[[Exception], None] | None
    mode: str = "do"  # "undo" / "redo": where its inverse goes
    live: bool = True  # False once queued offline: errors then come as sync state


class OperationRunner(QObject):
    executed = Signal(int, object)  # Changes, initiator
    syncChanged = Signal()  # offline, waiting count, busy or conflict changed
    undoChanged = Signal()
    conflict = Signal(object, object)  # Conflict error, Queued op
    failed = Signal(object, str)  # error, the label of an op that could not be synced
    online = Signal()  # the server answers again
    _seen_offline = Signal()
    _seen_online = Signal()

    def __init__(
        self, client: Callable[[], ApiClient], runner: Runner, store: LocalStore | None = None
    ) -> None:
        super().__init__(runner)
        self._client, self.runner = client, runner
        self.store = store or LocalStore()
        self.offline = False
        self.paused = ""  # why syncing waits for the user ("Sign in to sync")
        self.blocked: Queued | None = None  # the op whose conflict is being resolved
        self._theirs: Expense | None = None  # the server's version in that conflict
        self._conflict: Conflict | None = None
        self._busy = False
        self._waiters: dict[int, _Waiter] = {}
        self._undo: list[Op] = []
        self._redo: list[Op] = []
        self._retry = QTimer(self, interval=RETRY_MS, singleShot=True)
        self._retry.timeout.connect(self.sync)
        self._seen_offline.connect(self._went_offline)
        self._seen_online.connect(self.server_answered)

    # --- running --------------------------------------------------------------------
    def run(
        self,
        op: Op,
        initiator: object = None,
        on_done: Done | None = None,
        on_error: Callable[[Exception], None] | None = None,
        *,
        mode: str = "do",
    ) -> None:
        seq = self.store.enqueue(op)  # durable before the first byte is sent
        waiter = _Waiter(initiator, on_done, on_error, mode)
        self._waiters[seq] = waiter
        if self.offline or self.paused or self.blocked:
            self._queued(waiter)
        self.syncChanged.emit()
        self._pump()

    def use_store(self, store: LocalStore) -> None:
        """Another account (or none): its queue from now on; undo does not cross over."""
        self.store, self.blocked, self.paused = store, None, ""
        self._waiters.clear()
        self._undo.clear()
        self._redo.clear()
        self.undoChanged.emit()
        self.syncChanged.emit()

    @Slot()
    def sync(self) -> None:
        """Try again now: the queue's head, or a cheap read when nothing waits."""
        self.paused = ""
        if self.blocked is not None and self._conflict is not None:
            self.conflict.emit(self._conflict, self.blocked)  # asked again, e.g. on F5
        elif self.store.head() is not None:
            self.offline = False
            self._pump()
        elif self.offline:
            client = self._client()
            self.runner.submit(client.categories, lambda _c: self.server_answered(), self._probed)

    def server_answered(self) -> None:
        """Any successful request proves the server is back."""
        if self.offline:
            self.offline = False
            self.syncChanged.emit()
            self.online.emit()
            self._pump()

    def note_reachable(self) -> None:
        """Any thread: a request was answered."""
        if self.offline:
            self._seen_online.emit()

    def note_unreachable(self) -> None:
        """Any thread: a request found no server (a read fell back to the cache)."""
        self._seen_offline.emit()

    def pause(self, reason: str) -> None:
        self.paused = reason
        self.syncChanged.emit()

    def _pump(self) -> None:
        if self._busy or self.offline or self.paused or self.blocked is not None:
            return
        head = self.store.head()
        if head is None:
            return
        self._busy = True
        client, store = self._client(), self.store
        self.syncChanged.emit()
        self.runner.submit(lambda: _send(client, store, head), self._sent, self._failed)

    def _record(self, op: Op, results: list[Expense | None], waiter: _Waiter | None) -> None:
        """The server agreed to ``op``: its inverse goes where undo/redo will find it."""
        back = inverse(op, results)
        if back is not None and waiter is not None:
            (self._redo if waiter.mode == "undo" else self._undo).append(back)
            if waiter.mode == "do":
                self._redo.clear()
            self.undoChanged.emit()

    def _sent(self, outcome: Sent) -> None:
        head, results = outcome
        self._busy = False
        waiter = self._waiters.pop(head.seq, None)
        self._record(head.op, results, waiter)
        # An op queued offline reaches its initiator no more: everyone reloads.
        live = waiter is not None and waiter.live and _alive(waiter.initiator)
        self.executed.emit(head.op.changes, waiter.initiator if live and waiter else None)
        if waiter is not None and waiter.live and waiter.on_done and _alive(waiter.initiator):
            waiter.on_done(results)
        self.syncChanged.emit()
        self._pump()

    def _probed(self, error: Exception) -> None:
        """The probe of ``sync`` failed; any answer but "no server" means it is back."""
        if not self._unreachable(error):
            self.server_answered()

    def _unreachable(self, error: Exception) -> bool:
        """No server, or no session: either way the queue waits, nothing is dropped."""
        if isinstance(error, ServerUnreachable):
            self._went_offline()
            return True
        if isinstance(error, NotSignedIn):  # the server answered: it wants a sign-in
            self.pause("Sign in to sync")
            for queued in self._waiters.values():
                self._queued(queued)
            self.offline = False
            self.online.emit()  # the window signs in again (keyring), then syncs
            return True
        return False

    def _failed(self, error: Exception) -> None:
        self._busy = False
        head = self.store.head()  # as the worker left it: calls done, their answers
        waiter = self._waiters.get(head.seq) if head else None
        if self._unreachable(error) or head is None:
            pass
        elif isinstance(error, Conflict) and not (waiter and waiter.live):
            self.blocked, self._theirs, self._conflict = head, error.theirs, error
            self.conflict.emit(error, head)
        else:  # refused: the user decides (live), or is told (replayed)
            self._give_up(head, waiter)
            if waiter is not None and waiter.live:
                if waiter.on_error and _alive(waiter.initiator):
                    waiter.on_error(error)
            else:
                logger.warning("dropping %r after %s", head.op.label, error)
                self.failed.emit(error, head.op.label)
        self.syncChanged.emit()
        self._pump()

    def _give_up(self, head: Queued, waiter: _Waiter | None) -> None:
        """Drop a refused op; the calls it made before are undoable and shown."""
        self.store.drop(head.seq)
        self._waiters.pop(head.seq, None)
        if head.done:
            calls = head.op.calls[: head.done]
            done = Op(head.op.label, head.op.changes, calls, head.op.undoable)
            self._record(done, head.results, waiter)
            self.executed.emit(head.op.changes, None)

    @Slot()
    def _went_offline(self) -> None:
        if not self.offline:
            self.offline = True
            for waiter in self._waiters.values():
                self._queued(waiter)
            self.syncChanged.emit()
        self._retry.start()

    @staticmethod
    def _queued(waiter: _Waiter) -> None:
        if waiter.live:
            waiter.live = False
            if waiter.on_done and _alive(waiter.initiator):
                waiter.on_done(None)

    def resolve(self, values: dict[str, Any] | None) -> None:
        """After a conflict: ``None`` keeps theirs, else send ``values`` over their version."""
        head, theirs = self.blocked, self._theirs
        self.blocked = self._theirs = None
        if head is None or theirs is None:
            return
        if values is None:  # theirs stays: the call counts as done, answered by theirs
            last = head.done + 1 == len(head.op.calls)
            self.store.advance(head.seq, head.done + 1, [*head.results, theirs], finished=last)
        else:
            mine = head.op.calls[head.done]
            calls = list(head.op.calls)
            calls[head.done] = Call(mine.method, mine.path, values, if_match=theirs.version,
                                    before=theirs)  # fmt: skip
            head.op.calls = calls
            self.store.replace_op(head.seq, head.op)
        self.syncChanged.emit()
        self._pump()

    def waiting(self) -> int:
        """Changes made here that the server has not confirmed yet."""
        return self.store.waiting()

    # --- undo -----------------------------------------------------------------------
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo(self, initiator: object = None) -> None:
        if self._undo:
            op = self._undo.pop()
            self.undoChanged.emit()
            self.run(op, initiator, mode="undo")

    def redo(self, initiator: object = None) -> None:
        if self._redo:
            op = self._redo.pop()
            self.undoChanged.emit()
            self.run(op, initiator, mode="redo")


def _alive(initiator: object) -> bool:
    """A dialog closed while its op ran gets no callback (its C++ side is gone)."""
    return not isinstance(initiator, QObject) or shiboken6.isValid(initiator)


def _send(client: ApiClient, store: LocalStore, head: Queued) -> Sent:
    """Worker: the op's remaining calls, each confirmed call recorded before the next."""
    results = list(head.results)
    total = len(head.op.calls)
    for index in range(head.done, total):
        results.append(perform(client, head.op.calls[index]))
        store.advance(head.seq, index + 1, results, finished=index + 1 == total)
    return head, results
