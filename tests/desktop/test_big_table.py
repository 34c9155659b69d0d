"""The expenses table with many rows: what keeps the GUI thread free (issue 16).

Rows arrive in order page after page, the currency column follows the rows loaded
without a pass over all of them, loaded rows leave the garbage collector's passes,
and rows replaced by a new sort are freed off the GUI thread.
"""

from __future__ import annotations

import gc
import sys
import weakref

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QItemSelectionModel, QThreadPool

from desktop import heap
from desktop.filters import ExpenseQuery
from desktop.models.expenses import CURRENCY, ExpenseTableModel
from desktop.models.loaded_rows import LoadedRows
from desktop.views.expense_table import ExpenseTable
from tests.desktop.test_table_model import FakePages, SyncRunner, make_expenses

CURRENCIES = ("", "USD", "EUR", "JPY")


def in_currency(expense, currency: str):
    return msgspec.structs.replace(expense, currency=currency)


def loaded_model(count: int, page_size: int) -> tuple[ExpenseTableModel, FakePages]:
    pages = FakePages(make_expenses(count), page_size)
    model = ExpenseTableModel(pages, SyncRunner())
    model.set_query(ExpenseQuery())
    while model.canFetchMore():
        model.fetchMore()
    return model, pages


# --- rows in order, selection kept --------------------------------------------------
def test_rows_arrive_in_the_servers_order_page_after_page():
    model, pages = loaded_model(2_345, 100)
    assert model.rowCount() == 2_345
    assert [model.expense(row).id for row in range(model.rowCount())] == [
        expense.id for expense in pages.expenses
    ]


def test_a_selected_row_stays_selected_while_pages_arrive(qtbot):
    pages = FakePages(make_expenses(250), 100)
    model = ExpenseTableModel(pages, SyncRunner())
    table = ExpenseTable(model)
    qtbot.addWidget(table)
    model.set_query(ExpenseQuery())
    chosen = model.expense(3)
    flag = QItemSelectionModel.SelectionFlag
    flags = flag.ClearAndSelect | flag.Rows
    table.selectionModel().setCurrentIndex(model.index(3, 0), flags)
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 250
    rows = {index.row() for index in table.selectionModel().selectedRows()}
    assert rows == {3}
    assert model.expense(3) is chosen


# --- the currency column --------------------------------------------------------------
@settings(deadline=None)  # a loaded machine is no failure
@given(
    st.lists(
        st.tuples(
            st.sampled_from(("extend", "insert", "set", "delete", "take")),
            st.lists(st.sampled_from(CURRENCIES), max_size=5),
            st.integers(min_value=0, max_value=20),
        ),
        max_size=25,
    )
)
def test_the_counted_currencies_are_always_those_of_the_rows(steps):
    template = make_expenses(1)[0]
    rows, mirror = LoadedRows(), []
    for action, currencies, at in steps:
        made = [in_currency(template, currency) for currency in currencies]
        if action == "extend":
            rows.extend(made)
            mirror.extend(made)
        elif action == "take":
            assert rows.take() == mirror
            mirror = []
        elif made and action == "insert":
            rows.insert(min(at, len(mirror)), made[0])
            mirror.insert(min(at, len(mirror)), made[0])
        elif mirror and made and action == "set":
            rows.set(at % len(mirror), made[0])
            mirror[at % len(mirror)] = made[0]
        elif mirror and action == "delete":
            rows.delete(at % len(mirror))
            del mirror[at % len(mirror)]
        assert list(rows) == mirror
        assert rows.currencies("CHF") == {e.currency or "CHF" for e in mirror}


def test_the_currency_column_follows_the_rows_loaded(qtbot):
    expenses = make_expenses(30)
    expenses[25] = in_currency(expenses[25], "EUR")  # on the third page only
    model = ExpenseTableModel(FakePages(expenses, 10), SyncRunner())
    table = ExpenseTable(model)
    qtbot.addWidget(table)
    model.set_query(ExpenseQuery())
    model.fetchMore()
    assert table.isColumnHidden(CURRENCY)  # 20 rows, all in the base currency
    model.fetchMore()
    assert not table.isColumnHidden(CURRENCY)
    model.remove_ids({expenses[25].id})
    assert table.isColumnHidden(CURRENCY)
    model.replace(in_currency(model.expense(0), "JPY"))
    assert not table.isColumnHidden(CURRENCY)
    model.replace(in_currency(model.expense(0), ""))  # back to the base currency
    assert table.isColumnHidden(CURRENCY)


# --- the garbage collector and freeing ----------------------------------------------
def test_loaded_rows_are_left_out_of_every_later_collection():
    model, _ = loaded_model(3_000, 500)
    walked = {id(obj) for obj in gc.get_objects()}  # what a full collection walks
    assert not any(id(model.expense(row)) in walked for row in range(0, 3_000, 97))
    assert gc.get_freeze_count() > 3_000


def test_settle_still_collects_the_cycles_made_since_the_last_one():
    class Node:
        pass

    heap.settle()
    node = Node()
    node.me = node  # a cycle: only the collector frees it
    gone = weakref.ref(node)
    del node
    heap.settle()
    assert gone() is None


def test_rows_replaced_by_a_new_sort_are_freed_off_the_gui_thread():
    model, _ = loaded_model(5_000, 1_000)
    old = model.expense(4_999)
    before = sys.getrefcount(old)
    model.set_sort(("amount", "desc"))  # the fake server ignores the order: same rows
    QThreadPool.globalInstance().waitForDone(10_000)
    assert sys.getrefcount(old) == before - 1  # the old rows' list let it go
    assert model.rowCount() == 1_000  # the new order's first page
    assert model.expense(999) is not old


def test_release_frees_every_row_in_slices():
    rows = [object() for _ in range(heap.SLICE * 3 + 7)]
    heap.release(rows)
    QThreadPool.globalInstance().waitForDone(10_000)
    assert rows == []
    small = [object()] * 3
    heap.release(small)  # a few rows: freed where they are dropped, no thread
    assert len(small) == 3
