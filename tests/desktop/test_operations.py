"""Ops as data: their inverses, and the SQLite store that keeps them (no server)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import msgspec

from desktop.local import LocalStore
from desktop.local.store import CACHED_PAGES, page_key, store_path
from desktop.operations import Changes, inverse
from desktop.operations.calls import holds
from desktop.operations.expenses import (
    create_expense,
    delete_expenses,
    edit_expense,
    purge_expenses,
    recategorise,
    restore_expenses,
    save_expense,
)
from wire.expenses import Expense, ExpenseCreate, ExpensePage, ExpenseUpdate, Split

NOW = datetime(2026, 5, 14, 12, tzinfo=UTC)


def expense(id_: int, version: int = 1, **fields) -> Expense:
    values = {"amount": Decimal("12.50"), "category_id": 1, "category": "Food",
              "description": f"Item {id_}", "notes": "", "spent_on": date(2026, 5, 1)}  # fmt: skip
    values.update(fields)
    return Expense(id=id_, created_at=NOW, updated_at=NOW, version=version, **values)


def test_a_create_is_undone_by_trashing_what_the_server_made():
    op = create_expense(
        ExpenseCreate(
            amount="9.99", category_id=1, spent_on=date(2026, 5, 2), description="Umbrella"
        ),
        "key-1",
    )
    [call] = op.calls
    assert (call.method, call.idempotency_key, call.body["amount"]) == ("POST", "key-1", "9.99")
    back = inverse(op, [expense(7)])
    assert [(c.method, c.path) for c in back.calls] == [("DELETE", "/api/v1/expenses/7")]
    assert back.label == "New expense"
    again = inverse(back, [None])
    assert [(c.method, c.path) for c in again.calls] == [("POST", "/api/v1/expenses/7/restore")]


def test_an_edit_is_undone_with_the_previous_values_over_the_new_version():
    before = expense(3, version=4, description="Lunch")
    op = edit_expense(before, ExpenseUpdate(description="Team lunch", amount="15.25"))
    assert op.calls[0].if_match == 4
    after = expense(3, version=5, description="Team lunch", amount=Decimal("15.25"))
    [call] = inverse(op, [after]).calls
    assert call.body == {"amount": "12.50", "description": "Lunch"}
    assert call.if_match == 5
    assert edit_expense(before, ExpenseUpdate(notes="x"), overwrite=True).calls[0].if_match is None


def test_the_dialogs_edit_sends_base_amount_and_splits_only_as_the_user_changed_them():
    fields = {"amount": Decimal("50.00"), "currency": "EUR", "base_amount": None,
              "splits": None, "description": "Hotel"}  # fmt: skip
    converted = expense(3, currency="EUR", base_amount=Decimal("51.95"), settled=False)
    [call] = save_expense(converted, fields, "key").calls
    assert "base_amount" not in call.body  # the server's conversion is never sent back
    assert "splits" not in call.body
    settled = expense(3, currency="EUR", base_amount=Decimal("53.10"), settled=True)
    [call] = save_expense(settled, fields, "key").calls
    assert call.body["base_amount"] is None  # cleared: convert at the day's rate again
    unchanged = {**fields, "base_amount": Decimal("53.10")}
    assert "base_amount" not in save_expense(settled, unchanged, "key").calls[0].body
    split = expense(3, splits=[Split(category_id=1, amount=Decimal("12.50"))])
    assert save_expense(split, fields, "key").calls[0].body["splits"] is None  # un-split


def test_undoing_a_charged_amount_converts_again_rather_than_settling():
    before = expense(3, currency="EUR", base_amount=Decimal("51.95"), settled=False)
    op = edit_expense(before, ExpenseUpdate(base_amount="53.10"))
    after = expense(3, version=2, currency="EUR", base_amount=Decimal("53.10"), settled=True)
    [call] = inverse(op, [after]).calls
    assert call.body == {"base_amount": None}


def test_a_bulk_delete_is_undone_by_restoring_in_reverse_order():
    op = delete_expenses([expense(1), expense(2), expense(3)])
    assert op.label == "Delete 3 expenses"
    assert Changes(op.changes) == Changes.EXPENSES | Changes.TRASH
    back = inverse(op, [None, None, None])
    assert [c.path for c in back.calls] == [f"/api/v1/expenses/{i}/restore" for i in (3, 2, 1)]
    restored = inverse(restore_expenses([expense(1)]), [expense(1, version=2)])
    assert [c.method for c in restored.calls] == ["DELETE"]


def test_recategorise_keeps_each_rows_version_and_old_category():
    op = recategorise([expense(1, version=2), expense(2, category_id=5)], 9, "Travel")
    assert op.label == "Move 2 expenses to Travel"
    assert [(c.body, c.if_match) for c in op.calls] == [
        ({"category_id": 9}, 2),
        ({"category_id": 9}, 1),
    ]
    back = inverse(op, [expense(1, version=3, category_id=9), expense(2, 2, category_id=9)])
    assert [c.body for c in back.calls] == [{"category_id": 5}, {"category_id": 1}]


def test_delete_forever_cannot_be_undone():
    op = purge_expenses([expense(1)])
    assert op.calls[0].params == {"purge": "true"}
    assert inverse(op, [None]) is None


def test_holds_compares_amounts_as_numbers():
    assert holds(expense(1), {"amount": "12.5", "description": "Item 1"})
    assert not holds(expense(1), {"amount": "12.51"})


def test_holds_takes_tags_as_the_server_keeps_them():
    tagged = expense(1, tags=["Lisbon trip", "Work"])  # sorted, first spelling kept
    assert holds(tagged, {"tags": ["work", "Lisbon trip"]})
    assert not holds(tagged, {"tags": ["work"]})
    assert holds(expense(1, base_amount=Decimal("53.10")), {"base_amount": "53.1"})
    assert not holds(expense(1), {"base_amount": "53.10"})


def test_the_queue_and_its_progress_survive_reopening(tmp_path):
    path = tmp_path / "q.sqlite3"
    store = LocalStore(path)
    first = store.enqueue(delete_expenses([expense(1), expense(2)]))
    store.enqueue(purge_expenses([expense(3)]))
    store.advance(first, 1, [None], finished=False)
    store.close()
    again = LocalStore(path)
    head = again.head()
    assert (head.seq, head.done, head.results, head.op.label) == (
        first,
        1,
        [None],
        "Delete 2 expenses",
    )
    again.advance(first, 2, [None, None], finished=True)
    assert again.waiting() == 1
    assert again.head().op.label == "Delete expense forever"
    again.wipe()
    assert not path.exists()


def test_pages_are_cached_per_filter_and_order_with_a_cap(tmp_path):
    store = LocalStore(tmp_path / "c.sqlite3")
    page = ExpensePage(items=[expense(1)], next_cursor="next")
    key = page_key({"q": "coffee"}, ("amount", "asc"))
    store.save_page(key, None, page)
    assert store.page(key, None) == page
    assert store.page(page_key({}, ("amount", "asc")), None) is None
    for n in range(CACHED_PAGES + 5):
        store.save_page(key, f"c{n}", page)
    assert store.page(key, f"c{CACHED_PAGES + 4}") is None  # past the cap: not kept
    assert msgspec.json.encode(store.page(key, "c0"))


def test_the_store_file_is_per_server_and_account(local_data):
    one = store_path("http://a:8000/", "Me@Example.com")
    assert one == store_path("http://a:8000", "me@example.com")
    assert one != store_path("http://b:8000", "me@example.com")
    assert one != store_path("http://a:8000", "you@example.com")
    assert one.parent == local_data
    assert "example" not in one.name
