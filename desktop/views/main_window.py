"""The main window: filter bar, the expenses table, the dashboard or the trash, status bar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from desktop import heap
from desktop.errors import NotSignedIn, ServerUnreachable
from desktop.filters import ExpenseQuery
from desktop.models.categories import CategoryListModel
from desktop.money import format_money
from desktop.session import Session
from desktop.settings import AppSettings
from desktop.views import main_actions, main_money, main_plan, main_sync
from desktop.views.about import AboutDialog
from desktop.views.banner import Banner
from desktop.views.budgets_view import BudgetsView
from desktop.views.categories_dialog import CategoriesDialog
from desktop.views.conflict_dialog import ConflictDialog
from desktop.views.dashboard import DashboardView
from desktop.views.expenses_view import ExpensesView
from desktop.views.filter_bar import FilterBar
from desktop.views.login_dialog import LoginDialog
from desktop.views.main_actions import BUDGETS, DASHBOARD, EXPENSES, TRASH
from desktop.views.toast import Toast
from desktop.views.transfer import CsvTransfer
from desktop.views.trash_view import TrashView
from desktop.workers import Runner
from wire.auth import Profile
from wire.categories import Category
from wire.expenses import ExpenseSummary
from wire.imports import ImportResult

SIGN_OUT_UNCONFIRMED = (
    "Signed out on this computer, but the server could not be told: "
    "the session ends there when it expires."
)


class MainWindow(QMainWindow):
    signedIn = Signal(object)  # Profile
    summaryShown = Signal(object)  # ExpenseSummary
    # Given by build_shell_actions() (main_actions.py).
    account_action: QAction
    updates_action: QAction
    palette_action: QAction
    # Given by build_actions() (main_actions.py), with their shortcuts and menus.
    new_action: QAction
    edit_action: QAction
    delete_action: QAction
    find_action: QAction
    refresh_action: QAction
    export_action: QAction
    import_action: QAction
    categories_action: QAction
    tags_action: QAction
    sign_out_action: QAction
    about_action: QAction
    view_actions: dict[str, QAction]
    undo_action: QAction
    redo_action: QAction
    move_action: QAction
    # Given by main_sync.install() (main_sync.py).
    sync_label: QLabel
    toast: Toast
    conflict_dialog: ConflictDialog | None = None
    # Given by main_plan.install() (main_plan.py): Budgets, Recurring…, click-through.
    budgets: BudgetsView
    recurring_action: QAction
    back_action: QAction
    drill_back: main_plan.DrillBack | None

    def __init__(
        self, session: Session, settings: AppSettings, runner: Runner | None = None
    ) -> None:
        super().__init__()
        self.session, self.settings = session, settings
        self.runner = runner or Runner(self)
        self.setWindowTitle("Expense Tracker")
        self.resize(1180, 760)
        self.categories = CategoryListModel(self)
        self.banner = Banner()
        self.filters = FilterBar(settings.preset)
        self.operations = main_sync.make_operations(self)
        self.expenses = ExpensesView(session, self.runner, self.categories, self.operations)
        self.dashboard = DashboardView(session, self.runner, self.operations)
        self.trash = TrashView(session, self.runner, self.operations)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.expenses)
        self.stack.addWidget(self.dashboard)
        self.stack.addWidget(self.trash)
        self.transfer = CsvTransfer(session, self.runner, self)
        self.login: LoginDialog | None = None
        self.summary: ExpenseSummary | None = None
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(14, 10, 14, 6)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addWidget(self.filters)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        QWidget.setTabOrder(self.filters.search, self.expenses.table)  # filters, then rows
        self.count_label, self.total_label, self.account_label = QLabel(), QLabel(), QLabel()
        for label in (self.count_label, self.total_label, self.account_label):
            label.setContentsMargins(10, 0, 10, 0)
            self.statusBar().addPermanentWidget(label)
        main_actions.build_actions(self)
        main_actions.build_edit_actions(self)
        self._connect()
        main_sync.install(self)
        main_money.install(self)
        main_plan.install(self)
        if (geometry := settings.geometry()) is not None:
            self.restoreGeometry(geometry)
        self.show_view(settings.view)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.session, self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _connect(self) -> None:
        self.filters.queryChanged.connect(self.apply_query)
        self.expenses.changed.connect(self._data_changed)
        self.expenses.failed.connect(self.show_error)
        self.expenses.model.pageLoaded.connect(lambda _n: self._update_status())
        self.dashboard.failed.connect(self.show_error)
        self.transfer.failed.connect(self.show_error)
        self.transfer.exported.connect(
            lambda path, size: self.statusBar().showMessage(f"Exported to {path}", 8000)
        )
        self.transfer.imported.connect(self._imported)
        self.expenses.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._selection_changed()

    # --- session ------------------------------------------------------------------
    def start(self) -> None:
        """After ``show()``: resume the saved session silently, else ask to sign in."""
        heap.settle(collect=False)  # the window lives as long as the app: out of every pass
        if self.session.profile is not None:
            self._signed_in(self.session.profile)
        elif self.settings.email and self.session.store.available:
            email = self.settings.email
            self.statusBar().showMessage("Signing in…")
            self.runner.submit(
                lambda: self.session.resume(email), self._resumed, self._resume_failed
            )
        else:
            self.show_login()

    def _resumed(self, profile: Profile | None) -> None:
        self.statusBar().clearMessage()
        self._signed_in(profile) if profile else self.show_login()

    def _resume_failed(self, error: Exception) -> None:
        self.statusBar().clearMessage()
        if isinstance(error, ServerUnreachable) and main_sync.start_offline(self):
            return
        if isinstance(error, NotSignedIn):
            self.session.store.forget(self.session.server, self.settings.email)
            self.show_login("Your session has ended. Please sign in again.")
        else:
            self.show_login(str(error))

    def show_login(self, notice: str = "") -> LoginDialog:
        if self.login is not None and self.login.isVisible():
            return self.login
        email = self.session.email or self.settings.email
        self.login = LoginDialog(self.session, self.runner, notice, self, email)
        self.login.signedIn.connect(self._signed_in)
        self.login.open()
        return self.login

    def _signed_in(self, profile: Profile) -> None:
        self.settings.server, self.settings.email = self.session.server, self.session.email
        main_sync.signed_in(self)
        self.account_label.setText(f"{profile.display_name or profile.email} · {profile.currency}")
        self.expenses.currency = profile.currency
        self.expenses.model.set_currency(profile.currency)
        self.banner.hide()
        self.refresh()
        self.signedIn.emit(profile)

    def sign_out(self) -> None:
        if main_sync.confirm_sign_out(self):
            self.runner.submit(self.session.sign_out, self._signed_out)

    def _signed_out(self, confirmed: bool = True) -> None:
        self.settings.email = ""
        self.account_label.clear()
        self.expenses.model.set_query(ExpenseQuery(category_id=-1))  # shows nothing
        notice = "" if confirmed else SIGN_OUT_UNCONFIRMED
        self.show_login(notice)

    # --- data ---------------------------------------------------------------------
    def refresh(self) -> None:
        self.runner.submit(
            main_sync.categories_or_cached(self),  # kept for the next start and offline
            self._categories_loaded,
            self._category_error,
            channel="categories",
        )
        main_money.load_tags(self)  # the tag filter's completion
        self.apply_query(self.filters.query())
        self.operations.sync()  # F5 also retries waiting changes (or reopens a conflict)

    def apply_query(self, query: ExpenseQuery) -> None:
        self.settings.preset = self.filters.current_preset()
        self.expenses.set_query(query)
        self.dashboard.set_query(query, load=self.stack.currentWidget() is self.dashboard)
        self.summary = None
        self._update_status()
        self._load_summary(query)

    def _categories_loaded(self, categories: list[Category]) -> None:
        self.categories.set_categories(categories)
        self.expenses.model.set_categories(categories)
        self.filters.set_categories(categories)

    def _category_error(self, error: Exception) -> None:
        self.show_error(error, self.refresh)

    def _summary_loaded(self, summary: ExpenseSummary) -> None:
        self.summary = summary
        self._update_status()
        self.summaryShown.emit(summary)

    def _data_changed(self) -> None:
        self._load_summary(self.expenses.model.query)
        self.dashboard.dirty = True

    def _load_summary(self, query: ExpenseQuery) -> None:
        self.runner.submit(
            main_sync.summary_or_cached(self, query),
            self._summary_loaded,
            lambda error: self.show_error(error, self.refresh),
            channel="summary",
        )

    def _update_status(self) -> None:
        summary, currency = self.summary, self.expenses.currency
        if summary is None:
            self.count_label.setText("Counting…")
            self.total_label.clear()
            return
        noun = "expense" if summary.count == 1 else "expenses"
        self.count_label.setText(f"{summary.count:,} {noun}")
        total = format_money(summary.total, summary.currency or currency)
        self.total_label.setText(f"Total {total}{main_money.unconverted_note(summary)}")

    def _imported(self, report: ImportResult) -> None:
        self.banner.show_message(
            f"Imported {report.created} expenses ({report.duplicates} duplicates skipped)."
        )
        self.refresh()

    def show_error(self, error: Exception, retry: object = None) -> None:
        if isinstance(error, NotSignedIn):
            self.show_login("Your session has expired. Please sign in again.")
            return
        self.banner.show_error(error, retry if callable(retry) else None)

    # --- navigation and commands ----------------------------------------------------
    def show_view(self, name: str) -> None:
        views = {EXPENSES: self.expenses, DASHBOARD: self.dashboard, TRASH: self.trash,
                 BUDGETS: self.budgets}  # fmt: skip
        name = name if name in views else EXPENSES
        dashboard, signed_in = name == DASHBOARD, self.session.profile is not None
        self.stack.setCurrentWidget(views[name])
        self.view_actions[name].setChecked(True)
        self.filters.set_dashboard_mode(dashboard)
        self.filters.setVisible(name in (EXPENSES, DASHBOARD))  # trash, budgets: unfiltered
        self.find_action.setEnabled(name == EXPENSES)
        self._selection_changed()
        self.settings.view = name
        if name == TRASH and signed_in:
            self.trash.load()
        if name == BUDGETS and self.budgets.dirty and signed_in:
            self.budgets.load()
        if dashboard and self.dashboard.dirty and signed_in:
            self.dashboard.load()

    def _selection_changed(self) -> None:
        usable = self.stack.currentWidget() is self.expenses and (
            self.expenses.table.selectionModel().hasSelection()
        )
        self.edit_action.setEnabled(usable)
        self.delete_action.setEnabled(usable)
        self.move_action.setEnabled(usable)

    def undo(self) -> None:
        self.operations.undo(self)

    def redo(self) -> None:
        self.operations.redo(self)

    def expenses_new(self) -> None:
        self.show_view(EXPENSES)
        self.expenses.new_expense()

    def find(self) -> None:
        self.show_view(EXPENSES)
        self.filters.focus_search()

    def export(self) -> None:
        self.transfer.ask_export(self.expenses.model.query)

    def manage_categories(self) -> None:
        dialog = CategoriesDialog(self.session, self.runner, self.categories, self)
        dialog.changed.connect(self.refresh)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def event(self, event: QEvent) -> bool:
        # Only windows hear about a system light/dark switch; children with style
        # sheets keep their old palette unless told, and pyqtgraph never looks.
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange):
            self.dashboard.apply_theme()
        return super().event(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_geometry(self.saveGeometry(), self.saveState())
        self.settings.sync()
        self.runner.shutdown()
        self.operations.store.close()  # queued ops are committed already: nothing to flush
        super().closeEvent(event)
