"""The expenses table: rows arrive page by page from the server as the user scrolls.

Qt's ``canFetchMore``/``fetchMore`` drive paging (Qt for Python's ``fetchmore``
example), but a page is fetched in a worker, so scrolling never waits on the
network. Rows hold the decoded ``Expense`` structs; text is formatted only in
``data()``, i.e. only for the rows on screen — 100k rows cost no formatting.
Sorting and filtering are the server's job (keyset pages in any column's order),
never a proxy model's: a proxy would need every row loaded (FIELD-NOTES).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from desktop import heap
from desktop.filters import ExpenseQuery
from desktop.models.cells import CategoryIcons, date_format
from desktop.models.expense_columns import (
    AMOUNT,
    CATEGORY,
    COLUMNS,
    SORT_KEYS,
    ExpenseRole,
    SortRole,
    TagsRole,
    display,
    sort_key,
    tooltip,
)
from desktop.models.expense_columns import CURRENCY as CURRENCY  # re-exported: views, tests
from desktop.models.expense_columns import DATE as DATE
from desktop.models.expense_columns import DESCRIPTION as DESCRIPTION
from desktop.models.expense_columns import NOTES as NOTES
from desktop.models.expense_columns import TAGS as TAGS
from desktop.models.loaded_rows import LoadedRows
from wire.categories import Category
from wire.expenses import Expense, ExpensePage

Index = QModelIndex | QPersistentModelIndex
Sort = tuple[str, str]  # (the API's ``sort``, ``order``)
PageFetcher = Callable[[ExpenseQuery, str | None, Sort], ExpensePage]
DEFAULT_SORT: Sort = ("spent_on", "desc")


class TaskRunner(Protocol):
    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = ...,
        on_error: Callable[[Any], None] | None = ...,
        *,
        channel: str | None = ...,
    ) -> int: ...


class ExpenseTableModel(QAbstractTableModel):
    pageLoaded = Signal(int)  # rows now loaded
    loadFailed = Signal(object)  # the exception
    loadingChanged = Signal(bool)

    def __init__(self, fetch_page: PageFetcher, runner: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch_page, self._runner = fetch_page, runner
        self._rows = LoadedRows()
        self._query = ExpenseQuery()
        self._sort = DEFAULT_SORT
        self._stale = False  # rows from the local cache, replaced by the first live page
        self._pending = 0  # ids of rows made offline count down from -1
        self._cursor: str | None = None
        self._exhausted = True  # nothing to fetch until a query is set
        self._loading = False
        self._failed = False
        self._currency = "USD"
        self._categories: dict[int, Category] = {}
        self._icons = CategoryIcons()
        self._locale = QLocale()
        self._dates = (self._locale, date_format(self._locale))

    # --- state --------------------------------------------------------------------
    @property
    def query(self) -> ExpenseQuery:
        return self._query

    @property
    def sort(self) -> Sort:
        return self._sort

    def set_sort(self, sort: Sort, *, reload: bool = True) -> None:
        """Order by another column: the server pages in that order from the top."""
        if sort != self._sort:
            self._sort = sort
            if reload:
                self.reload()

    def show_cached(self, page: ExpensePage) -> None:
        """Rows kept from the last run, shown until the server's first page replaces them."""
        self.beginResetModel()
        heap.release(self._rows.take())
        self._rows.extend(page.items)
        self._stale = True
        self.endResetModel()

    @property
    def loading(self) -> bool:
        return self._loading

    def set_currency(self, currency: str) -> None:
        self._currency = currency
        self._changed_column(AMOUNT)

    @property
    def currency(self) -> str:
        """The base currency: totals, and the rows of servers that send none."""
        return self._currency

    @property
    def locale(self) -> QLocale:
        return self._locale

    @property
    def categories_by_id(self) -> dict[int, Category]:
        return self._categories

    def currencies(self) -> set[str]:
        """The currencies of the rows loaded: one column more when there are several."""
        return self._rows.currencies(self._currency)

    def set_categories(self, categories: list[Category]) -> None:
        self._categories = {category.id: category for category in categories}
        self._changed_column(CATEGORY)

    def set_query(self, query: ExpenseQuery) -> None:
        """Show ``query``'s results from the first page (also: reload)."""
        if not self._stale:  # cached rows stay on screen until the live ones arrive
            self.beginResetModel()
            heap.release(self._rows.take())  # 100k rows: freed off the GUI thread
            self.endResetModel()
        self._query, self._cursor = query, None
        self._exhausted, self._failed, self._loading = False, False, False
        self._load()

    def reload(self) -> None:
        self.set_query(self._query)

    def retry(self) -> None:
        """After a failed page: try that page again."""
        self._failed = False
        self._load()

    def expense(self, row: int) -> Expense:
        return self._rows[row]

    def replace(self, expense: Expense) -> bool:
        """Update a row in place (an edit that keeps its sort position)."""
        for row, current in enumerate(self._rows):
            if current.id == expense.id:
                self._rows.set(row, expense)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return True
        return False

    def add_pending(self, fields: dict[str, Any], category: str) -> None:
        """A create queued offline: shown on top (negative id) until the next reload."""
        self._pending -= 1
        now = datetime.now(UTC)
        expense = Expense(id=self._pending, category=category, created_at=now, updated_at=now,
                          version=0, **fields)  # fmt: skip
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, expense)
        self.endInsertRows()

    def remove_ids(self, ids: set[int]) -> None:
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].id in ids:
                self.beginRemoveRows(QModelIndex(), row, row)
                self._rows.delete(row)
                self.endRemoveRows()

    # --- paging -------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not (self._exhausted or self._loading or self._failed)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load()

    def _load(self) -> None:
        query, cursor, sort = self._query, self._cursor, self._sort
        self._set_loading(True)
        self._runner.submit(
            lambda: self._fetch_page(query, cursor, sort),
            self._page_arrived,
            self._page_failed,
            channel=f"expenses-page-{id(self)}",
        )

    def _page_arrived(self, page: ExpensePage) -> None:
        self._set_loading(False)
        self._cursor = page.next_cursor
        self._exhausted = page.next_cursor is None
        if self._stale:
            self.beginResetModel()
            heap.release(self._rows.take())
            self._rows.extend(page.items)
            self._stale = False
            self.endResetModel()
        elif page.items:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self._rows.extend(page.items)
            self.endInsertRows()
        heap.settle()  # the rows live on: no full collection walks them again
        self.pageLoaded.emit(len(self._rows))

    def _page_failed(self, error: Exception) -> None:
        self._failed = True
        self._stale = False  # what is shown is all there is
        self._set_loading(False)
        self.loadFailed.emit(error)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loadingChanged.emit(loading)

    # --- Qt model API -------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Click to sort" if section in SORT_KEYS else "Not sortable"
        if role == Qt.ItemDataRole.TextAlignmentRole and section == AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        expense, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return display(expense, column, self._categories, self._currency, self._dates)
        if is_pending(expense) and role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole):
            return PENDING_TIP if role == Qt.ItemDataRole.ToolTipRole else _italic()
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(expense, column, self._categories, self._currency, self._locale)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if column == AMOUNT else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == CATEGORY:
            return self._icons.of(expense, self._categories)
        if role == ExpenseRole:
            return expense
        if role == TagsRole:
            return expense.tags
        if role == SortRole:
            return sort_key(expense, column, self._currency)
        return None

    def _changed_column(self, column: int) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))


PENDING_TIP = "Saved on this computer; sent when the server answers"


def is_pending(expense: Expense) -> bool:
    """Made offline and not on the server yet (``add_pending``)."""
    return expense.id < 0


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font
