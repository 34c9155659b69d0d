"""The main window's offline side: the local store, sync status, conflicts, the toast.

Kept apart from ``main_window.py`` (as ``main_actions.py`` is) so that the window
reads as its views and this file as "what happens when the network is not there".
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from desktop.errors import ServerUnreachable
from desktop.filters import ExpenseQuery
from desktop.local.store import LocalStore, page_key, store_path
from desktop.models.expenses import DEFAULT_SORT, Sort
from desktop.operations.calls import Conflict
from desktop.operations.runner import OperationRunner
from desktop.views.conflict_dialog import ConflictDialog
from desktop.views.toast import Toast
from wire.categories import Category
from wire.expenses import ExpenseSummary

if TYPE_CHECKING:
    from desktop.local.store import Queued
    from desktop.settings import AppSettings
    from desktop.views.main_window import MainWindow

SORT_KEY = "table/sort"
logger = logging.getLogger(__name__)


def ask_discard_changes(parent: QWidget, count: int) -> bool:
    """Signing out would lose queued changes: ask (tests replace this function)."""
    noun = "1 change has" if count == 1 else f"{count} changes have"
    answer = QMessageBox.warning(
        parent,
        "Changes not sent yet",
        f"{noun} not reached the server yet. Signing out deletes them from this "
        "computer. Sign out anyway?",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def open_store(server: str, email: str) -> LocalStore:
    """The account's file; with no account yet, a store that lives in memory only.

    A folder that cannot be written or a damaged file must not stop the app: it then
    works as before this store existed (online only), and the log says why.
    """
    if not email:
        return LocalStore()
    try:
        return LocalStore(store_path(server, email))
    except (OSError, sqlite3.Error) as error:
        logger.warning("offline store unavailable, working online only: %s", error)
        return LocalStore()


def make_operations(window: MainWindow) -> OperationRunner:
    store = open_store(window.session.server, window.settings.email)
    return OperationRunner(lambda: window.session.client, window.runner, store)


def install(window: MainWindow) -> None:
    """Status bar, toast and signals; then the last run's data, before any request."""
    window.sync_label = QLabel()
    window.sync_label.setContentsMargins(10, 0, 10, 0)
    window.statusBar().addPermanentWidget(window.sync_label)
    window.toast = Toast(window)
    ops = window.operations
    ops.syncChanged.connect(lambda: update_sync(window))
    ops.conflict.connect(lambda error, head: show_conflict(window, error, head))
    ops.failed.connect(
        lambda error, label: window.banner.show_message(
            f"“{label}” could not be sent and was dropped: {error}", error=True
        )
    )
    ops.online.connect(lambda: back_online(window))
    for view in (window.expenses, window.trash):
        view.notice.connect(lambda text, undo: notify(window, text, undo))
    window.trash.failed.connect(window.show_error)
    trash = window.trash.model  # the same swatches and currency as the expenses table
    window.categories.modelReset.connect(lambda: trash.set_categories(window.categories.categories))
    window.signedIn.connect(lambda profile: trash.set_currency(profile.currency))
    window.expenses.sortChanged.connect(lambda sort: save_sort(window.settings, sort))
    sort = load_sort(window.settings)
    window.expenses.model.set_sort(sort, reload=False)
    window.expenses._show_sort(sort)
    if (categories := ops.store.categories()) is not None:
        window._categories_loaded(categories)
    if window.settings.email:
        window.expenses.show_cached(window.filters.query())
    update_sync(window)


def categories_or_cached(window: MainWindow) -> Callable[[], list[Category]]:
    """A worker call: the server's categories (kept for next time), else the kept ones."""
    client, store = window.session.client, window.operations.store

    def fetch() -> list[Category]:
        try:
            found = client.categories()
        except ServerUnreachable:
            if (cached := store.categories()) is None:
                raise
            window.operations.note_unreachable()
            return cached
        store.save_categories(found)
        return found

    return fetch


def summary_or_cached(window: MainWindow, query: ExpenseQuery) -> Callable[[], ExpenseSummary]:
    """A worker call: the count and total of ``query``, offline the last ones seen."""
    client, store = window.session.client, window.operations.store
    key = page_key(query.params(), ("", ""))

    def fetch() -> ExpenseSummary:
        try:
            summary = client.summary(query)
        except ServerUnreachable:
            if (cached := store.summary(key)) is None:
                raise
            return cached
        store.save_summary(key, summary)
        return summary

    return fetch


def load_sort(settings: AppSettings) -> Sort:
    value = settings.store.value(SORT_KEY, "")
    parts = value.split(",") if isinstance(value, str) else []
    return (parts[0], parts[1]) if len(parts) == 2 else DEFAULT_SORT


def save_sort(settings: AppSettings, sort: Sort) -> None:
    settings.store.setValue(SORT_KEY, ",".join(sort))


def notify(window: MainWindow, text: str, undo: bool) -> None:
    if undo and window.operations.undo_label():
        window.toast.show_message(text, "Undo", window.undo)
    else:
        window.toast.show_message(text)


def update_sync(window: MainWindow) -> None:
    ops = window.operations
    text = status_text(ops)
    window.sync_label.setText(text or ("All changes saved" if window.session.profile else ""))
    attention = ops.offline or ops.blocked is not None  # not a detail: say it plainly
    window.sync_label.setStyleSheet("color: #B35C00; font-weight: 600;" if attention else "")


def status_text(ops: OperationRunner) -> str:
    """The sync state in the status bar; empty when everything is on the server."""
    waiting = ops.waiting()
    changes = f"{waiting} change{'' if waiting == 1 else 's'} waiting"
    if ops.offline:
        return f"Offline — {changes}"
    if ops.blocked is not None:
        return f"Sync paused: resolve the conflict — {changes}"
    if ops.paused:
        return f"{ops.paused} — {changes}" if waiting else ""
    return f"Syncing — {changes}" if waiting else ""


def start_offline(window: MainWindow) -> bool:
    """The server did not answer at start-up: browse the cache if there is one."""
    if window.operations.store.path is None or not window.settings.email:
        return False
    window.operations.note_unreachable()
    window.statusBar().showMessage("Offline: showing what was saved on this computer.", 8000)
    window.apply_query(window.filters.query())
    return True


def back_online(window: MainWindow) -> None:
    if window.session.profile is None and window.settings.email:
        window.start()  # resume the session from the keyring, then sync
    else:
        window.refresh()


def signed_in(window: MainWindow) -> None:
    """Use the account's own store (another account's queue never leaks across)."""
    path = store_path(window.session.server, window.session.email)
    if window.operations.store.path != path:
        old = window.operations.store
        window.operations.use_store(open_store(window.session.server, window.session.email))
        old.close()
    window.operations.sync()


def confirm_sign_out(window: MainWindow) -> bool:
    """Wipe this account's store, after a warning when changes are still waiting."""
    ops = window.operations
    waiting = ops.waiting()
    if waiting and not ask_discard_changes(window, waiting):
        return False
    store = ops.store
    ops.use_store(LocalStore())
    store.wipe()
    return True


def show_conflict(window: MainWindow, error: Conflict, head: Queued) -> ConflictDialog:
    current = window.conflict_dialog
    if current is not None and shiboken6.isValid(current) and current.isVisible():
        return current  # already asking
    names = {category.id: category.name for category in window.categories.categories}
    dialog = ConflictDialog(error.call.body or {}, error.theirs, names, window)
    dialog.resolved.connect(window.operations.resolve)
    dialog.finished.connect(dialog.deleteLater)
    window.conflict_dialog = dialog
    dialog.open()
    return dialog
