"""The window's planning side: the Budgets view, the recurring manager, click-through.

Kept out of ``main_window.py`` (as ``main_money.py`` is): it adds the Budgets view
to the window's stack with its command (View ▸ Budgets, Ctrl+4), Edit ▸ Recurring…,
and the dashboard's click-through — a bar opens the expenses table filtered to
exactly that bar's expenses, and Back (Alt+Left, or the button before the filters)
returns to the dashboard as it was: the same range and filters, scrolled as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton, QToolBar

from desktop.filters import ExpenseQuery
from desktop.operations import Changes
from desktop.views.budgets_view import BudgetsView
from desktop.views.main_actions import BUDGETS, DASHBOARD, EXPENSES
from desktop.views.recurring_dialog import RecurringDialog

if TYPE_CHECKING:
    from desktop.views.filter_bar import FilterState
    from desktop.views.main_window import MainWindow


@dataclass(frozen=True)
class DrillBack:
    """What Back restores."""

    filters: FilterState
    scroll: int


def install(window: MainWindow) -> None:
    window.budgets = BudgetsView(
        window.session, window.runner, window.operations, window.categories
    )
    window.budgets.failed.connect(window.show_error)
    window.stack.addWidget(window.budgets)
    _budgets_command(window)
    window.recurring_action = QAction("Recurring…", window)
    window.recurring_action.setToolTip("Recurring expenses and suggestions from your history")
    window.recurring_action.triggered.connect(lambda: open_recurring(window))
    edit_menu = _menu(window, "&Edit")
    edit_menu.insertAction(_after(edit_menu, window.tags_action), window.recurring_action)
    window.dashboard.upcoming.manageRequested.connect(lambda: open_recurring(window))
    # Click-through and Back.
    window.drill_back = None
    window.back_action = QAction("Back", window)
    window.back_action.setShortcut(QKeySequence("Alt+Left"))
    window.back_action.setToolTip("Back to the dashboard as it was (Alt+Left)")
    window.back_action.triggered.connect(lambda: back(window))
    window.back_action.setEnabled(False)
    window.back_button = QPushButton("◀ Dashboard")
    window.back_button.setToolTip(window.back_action.toolTip())
    window.back_button.clicked.connect(window.back_action.trigger)
    window.back_button.hide()
    window.filters.layout().insertWidget(0, window.back_button)
    _menu(window, "&View").addAction(window.back_action)
    window.dashboard.drillDown.connect(lambda query: drill(window, query))
    window.stack.currentChanged.connect(lambda _i: _show_back(window))
    # Signing in (the saved view may be Budgets) and F5 read the budgets again.
    window.signedIn.connect(lambda _profile: _reload_budgets(window))
    window.refresh_action.triggered.connect(lambda: _reload_budgets(window))
    window.operations.executed.connect(lambda changes, _who: _changed(window, changes))


def _changed(window: MainWindow, changes: int) -> None:
    """A budget, or an expense ("Record now" on the dashboard itself): the visible
    dashboard reads its totals and budget line again; a hidden one when shown."""
    if changes & (Changes.BUDGETS | Changes.EXPENSES | Changes.TRASH):
        window.dashboard.dirty = True
        if window.stack.currentWidget() is window.dashboard and window.session.profile:
            window.dashboard.load()


def _reload_budgets(window: MainWindow) -> None:
    window.budgets.dirty = True
    if window.stack.currentWidget() is window.budgets:
        window.budgets.load()


def _budgets_command(window: MainWindow) -> None:
    action = QAction("Budgets", window)
    action.setShortcut(QKeySequence("Ctrl+4"))
    action.setToolTip("Budgets (Ctrl+4)")
    action.setCheckable(True)
    action.triggered.connect(lambda: window.show_view(BUDGETS))
    window.view_actions[EXPENSES].actionGroup().addAction(action)
    window.view_actions[BUDGETS] = action
    view_menu = _menu(window, "&View")
    view_menu.insertAction(window.refresh_action, action)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    if toolbar is not None:  # after Expenses, Dashboard and Trash
        toolbar.insertAction(toolbar.actions()[len(window.view_actions) - 1], action)


def _menu(window: MainWindow, title: str):  # noqa: ANN202
    return next(m.menu() for m in window.menuBar().actions() if m.text() == title)


def _after(menu, action: QAction) -> QAction | None:  # noqa: ANN001
    actions = menu.actions()
    index = actions.index(action)
    return actions[index + 1] if index + 1 < len(actions) else None


def open_recurring(window: MainWindow) -> RecurringDialog:
    dialog = RecurringDialog(
        window.session, window.runner, window.operations, window.categories, window
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def drill(window: MainWindow, query: ExpenseQuery) -> None:
    """A bar was clicked: the table shows exactly its expenses; Back comes back."""
    if window.drill_back is None:  # a second drill still returns to the dashboard
        scroll = window.dashboard.scroll_position()
        window.drill_back = DrillBack(window.filters.snapshot(), scroll)
    window.show_view(EXPENSES)
    window.filters.drill(query)
    _show_back(window)


def back(window: MainWindow) -> None:
    state = window.drill_back
    if state is None:
        return
    window.drill_back = None
    window.filters.restore(state.filters)
    window.show_view(DASHBOARD)
    dashboard = window.dashboard
    dashboard.set_scroll_position(state.scroll)

    def scrolled() -> None:
        dashboard.loaded.disconnect(scrolled)
        dashboard.set_scroll_position(state.scroll)

    if window.runner.pending:
        dashboard.loaded.connect(scrolled)
    _show_back(window)


def _show_back(window: MainWindow) -> None:
    drilled = window.drill_back is not None
    window.back_action.setEnabled(drilled)
    window.back_button.setVisible(drilled and window.stack.currentWidget() is window.expenses)
