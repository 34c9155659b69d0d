"""The expenses table model on its own: Qt's model tester, paging, formatting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt

from desktop.filters import ExpenseQuery
from desktop.models.categories import CategoryListModel
from desktop.models.expenses import AMOUNT, CATEGORY, DATE, NOTES, ExpenseTableModel, Sort
from wire.categories import Category
from wire.expenses import Expense, ExpensePage

FOOD = Category(id=1, name="Food", color="#E4572E")


def make_expenses(count: int) -> list[Expense]:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    return [
        Expense(
            id=count - i,
            amount=Decimal("1234.50") + i,
            category_id=1,
            category="Food",
            description=f"item {i}",
            notes="line one\nline two",
            spent_on=date(2025, 1, 1) - timedelta(days=i),
            created_at=now,
            updated_at=now,
            version=1,
        )
        for i in range(count)
    ]


class SyncRunner:
    """Runs tasks inline: the model's paging logic without threads."""

    def __init__(self) -> None:
        self.calls = 0

    def submit(self, fn, on_done=None, on_error=None, *, channel=None):
        self.calls += 1
        try:
            result = fn()
        except Exception as error:
            if on_error:
                on_error(error)
        else:
            if on_done:
                on_done(result)
        return self.calls


class FakePages:
    def __init__(self, expenses: list[Expense], page_size: int) -> None:
        self.expenses, self.page_size = expenses, page_size
        self.queries: list[tuple[ExpenseQuery, str | None]] = []

    def __call__(self, query: ExpenseQuery, cursor: str | None, _sort: Sort) -> ExpensePage:
        self.queries.append((query, cursor))
        start = int(cursor or 0)
        end = start + self.page_size
        items = self.expenses[start:end]
        return ExpensePage(items, str(end) if end < len(self.expenses) else None)


def test_model_passes_qt_model_tester(qtmodeltester):
    model = ExpenseTableModel(FakePages(make_expenses(25), 10), SyncRunner())
    model.set_categories([FOOD])
    model.set_query(ExpenseQuery())
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_category_model_passes_qt_model_tester(qtmodeltester):
    model = CategoryListModel()
    model.set_categories([FOOD, Category(id=2, name="bills", color="#4C6EF5")])
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0)) == "bills"  # sorted case-insensitively


def test_pages_on_demand_until_the_cursor_runs_out():
    pages = FakePages(make_expenses(25), 10)
    model = ExpenseTableModel(pages, SyncRunner())
    model.set_query(ExpenseQuery(text="x"))
    assert model.rowCount() == 10
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 25
    assert not model.canFetchMore()
    assert [cursor for _, cursor in pages.queries] == [None, "10", "20"]
    assert all(query.text == "x" for query, _ in pages.queries)


def test_formats_lazily_with_currency_colour_and_alignment():
    model = ExpenseTableModel(FakePages(make_expenses(3), 10), SyncRunner())
    model._locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    model.set_categories([FOOD])
    model.set_currency("EUR")
    model.set_query(ExpenseQuery())
    amount = model.index(0, AMOUNT)
    assert model.data(amount) == "€1,234.50"
    assert model.data(amount, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.data(model.index(0, CATEGORY)) == "Food"
    assert not model.data(model.index(0, CATEGORY), Qt.ItemDataRole.DecorationRole).isNull()
    assert model.data(model.index(0, NOTES)) == "line one line two"
    assert model.data(model.index(0, DATE))


def test_a_failed_page_stops_paging_until_retried():
    calls = {"n": 0}
    expenses = make_expenses(20)

    def flaky(query, cursor, _sort):
        calls["n"] += 1
        if cursor is not None and calls["n"] == 2:
            raise ConnectionError("down")
        start = int(cursor or 0)
        return ExpensePage(expenses[start : start + 10], str(start + 10) if start < 10 else None)

    model = ExpenseTableModel(flaky, SyncRunner())
    failures = []
    model.loadFailed.connect(failures.append)
    model.set_query(ExpenseQuery())
    model.fetchMore()
    assert len(failures) == 1
    assert not model.canFetchMore()
    model.retry()
    assert model.rowCount() == 20


def test_remove_and_replace_rows_in_place():
    model = ExpenseTableModel(FakePages(make_expenses(5), 10), SyncRunner())
    model.set_query(ExpenseQuery())
    first = model.expense(0)
    import msgspec

    edited = msgspec.structs.replace(first, description="changed")
    assert model.replace(edited)
    assert model.expense(0).description == "changed"
    model.remove_ids({first.id, model.expense(1).id})
    assert model.rowCount() == 3
