"""The main window's commands: its actions with their shortcuts, the menus, the toolbar.

Kept apart from the window's behaviour (``main_window.py``): this is the one place
that says which command has which key and where it appears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QToolBar

if TYPE_CHECKING:
    from desktop.views.main_window import MainWindow

EXPENSES, DASHBOARD, TRASH, BUDGETS = "expenses", "dashboard", "trash", "budgets"


def _action(
    window: MainWindow, text: str, slot: object, shortcut: object = None, tip: str = ""
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setToolTip(tip or text.replace("…", ""))
    action.triggered.connect(slot)
    return action


# --- shell actions: Account…, Check for updates, Command palette ----------------------
# Its own function (the other commands' keys stay above): the account dialog, the
# update check and the palette, placed into the menus that build_actions() makes.
def build_shell_actions(window: MainWindow) -> None:
    from desktop.views import shell_commands

    menus = {_plain(a.text()): a.menu() for a in window.menuBar().actions() if a.menu()}
    window.account_action = _action(
        window, "Account…", lambda: shell_commands.open_account(window), "Ctrl+,",
        "Profile, password, sign-in, appearance (Ctrl+,)",
    )  # fmt: skip
    window.account_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    menus["File"].insertAction(window.sign_out_action, window.account_action)
    window.updates_action = _action(
        window, "Check for updates…", lambda: shell_commands.check_updates(window)
    )
    if not window.settings.updates_url:
        window.updates_action.setEnabled(False)
        window.updates_action.setToolTip(shell_commands.UPDATES_OFF)
    menus["Help"].insertAction(window.about_action, window.updates_action)
    window.palette_action = _action(
        window, "Command palette…", lambda: shell_commands.open_palette(window), "Ctrl+K",
        "Find and run any command (Ctrl+K)",
    )  # fmt: skip
    menus["View"].addSeparator()
    menus["View"].addAction(window.palette_action)


def _open_tags(window: MainWindow) -> None:
    from desktop.views import shell_commands

    shell_commands.open_tags(window)


def _plain(text: str) -> str:
    return text.replace("&", "")


def build_actions(window: MainWindow) -> None:
    """Give ``window`` its actions (``window.new_action``, …), menus and toolbar."""
    key = QKeySequence.StandardKey
    window.new_action = _action(window, "New", window.expenses_new, key.New, "New expense (Ctrl+N)")
    window.edit_action = _action(window, "Edit", window.expenses.edit_selected, Qt.Key.Key_Return)
    window.delete_action = _action(window, "Delete", window.expenses.delete_selected, key.Delete)
    # Enter and Delete belong to the table: in the search box they must edit text.
    for action in (window.edit_action, window.delete_action):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.expenses.table.addAction(action)
    window.edit_action.setShortcuts(
        [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
    )
    window.find_action = _action(window, "Find", window.find, key.Find)
    window.refresh_action = _action(window, "Refresh", window.refresh, key.Refresh)
    window.refresh_action.setShortcuts([QKeySequence(Qt.Key.Key_F5), QKeySequence(key.Refresh)])
    window.export_action = _action(
        window, "Export…", window.export, "Ctrl+E", "Export CSV (Ctrl+E)"
    )
    window.import_action = _action(
        window, "Import…", window.transfer.ask_import, "Ctrl+I", "Import a bank statement (Ctrl+I)"
    )
    window.categories_action = _action(window, "Categories…", window.manage_categories)
    window.tags_action = _action(window, "Tags…", lambda: _open_tags(window), None,
                                 "Rename, merge or delete tags")  # fmt: skip
    window.sign_out_action = _action(window, "Sign out", window.sign_out)
    quit_action = _action(window, "Quit", window.close, key.Quit)
    views = QActionGroup(window)
    window.view_actions = {}
    for name, text, shortcut in (
        (EXPENSES, "Expenses", "Ctrl+1"),
        (DASHBOARD, "Dashboard", "Ctrl+2"),
    ):
        action = _action(window, text, lambda _c=False, n=name: window.show_view(n), shortcut)
        action.setCheckable(True)
        views.addAction(action)
        window.view_actions[name] = action
    menus = window.menuBar()
    file_menu = menus.addMenu("&File")
    for item in (
        window.export_action,
        window.import_action,
        None,
        window.sign_out_action,
        quit_action,
    ):
        file_menu.addAction(item) if item else file_menu.addSeparator()
    edit_menu = menus.addMenu("&Edit")
    for item in (window.new_action, window.edit_action, window.delete_action, None,
                 window.find_action, None, window.categories_action,
                 window.tags_action):  # fmt: skip
        edit_menu.addAction(item) if item else edit_menu.addSeparator()
    view_menu = menus.addMenu("&View")
    view_menu.addActions([*window.view_actions.values(), window.refresh_action])
    help_menu = menus.addMenu("&Help")
    window.about_action = _action(window, "About Expense Tracker", window.show_about)
    window.about_action.setMenuRole(QAction.MenuRole.AboutRole)
    help_menu.addAction(window.about_action)
    build_shell_actions(window)  # needs the menus above
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.addActions(list(window.view_actions.values()))
    toolbar.addSeparator()
    toolbar.addActions([window.new_action, window.edit_action, window.delete_action])
    toolbar.addSeparator()
    toolbar.addActions([window.refresh_action, window.export_action, window.import_action])


# --- undo, redo, trash and bulk actions (issue 15: operations, offline) ---------------
def build_edit_actions(window: MainWindow) -> None:
    """Undo/Redo (named after the op they take back), Move to category, the Trash view."""
    key = QKeySequence.StandardKey
    window.undo_action = _action(window, "Undo", window.undo, key.Undo)
    window.redo_action = _action(window, "Redo", window.redo, "Ctrl+Shift+Z")
    # Ctrl+Shift+Z on every platform, and Ctrl+Y, which Windows users reach for.
    window.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    window.move_action = _action(
        window, "Move to category…", window.expenses.recategorise_selected, "Ctrl+M"
    )
    window.move_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    window.expenses.table.addAction(window.move_action)
    edit_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Edit")
    first = edit_menu.actions()[0]
    edit_menu.insertActions(first, [window.undo_action, window.redo_action])
    edit_menu.insertSeparator(first)
    edit_menu.insertAction(window.find_action, window.move_action)
    trash = _action(window, "Trash", lambda: window.show_view(TRASH), "Ctrl+3")
    trash.setCheckable(True)
    window.view_actions[EXPENSES].actionGroup().addAction(trash)
    window.view_actions[TRASH] = trash
    view_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&View")
    view_menu.insertAction(window.refresh_action, trash)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    if toolbar is not None:  # beside Expenses and Dashboard
        toolbar.insertAction(toolbar.actions()[len(window.view_actions) - 1], trash)

    def named() -> None:
        undo, redo = window.operations.undo_label(), window.operations.redo_label()
        window.undo_action.setText(f"Undo {undo}" if undo else "Undo")
        window.redo_action.setText(f"Redo {redo}" if redo else "Redo")
        window.undo_action.setEnabled(undo is not None)
        window.redo_action.setEnabled(redo is not None)

    window.operations.undoChanged.connect(named)
    named()
