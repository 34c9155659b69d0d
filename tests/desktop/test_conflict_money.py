"""The conflict dialog shows and keeps the second release's fields of a queued edit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from desktop.views.conflict_dialog import ConflictDialog
from wire.expenses import Expense

NOW = datetime(2026, 5, 14, 12, tzinfo=UTC)


def theirs(**fields) -> Expense:
    values = {"id": 3, "amount": Decimal("50.00"), "category_id": 1, "category": "Food",
              "description": "Hotel", "notes": "", "spent_on": date(2026, 5, 1),
              "created_at": NOW, "updated_at": NOW, "version": 2, "currency": "EUR",
              "base_amount": Decimal("51.95"), "rate": Decimal("1.039"), "settled": False,
              "tags": ["work"]}  # fmt: skip
    return Expense(**(values | fields))


def test_tags_splits_and_the_charged_amount_are_compared_and_kept(qtbot):
    mine = {"amount": "50.00", "currency": "EUR", "base_amount": "53.10", "tags": ["trip"],
            "splits": [{"category_id": 1, "amount": "30.00"},
                       {"category_id": 2, "amount": "20.00"}],
            "refund_of": None, "description": "Hotel"}  # fmt: skip
    dialog = ConflictDialog(mine, theirs(), {1: "Food", 2: "Travel"})
    qtbot.addWidget(dialog)
    assert dialog.choices["tags"].button(1).text() == "trip"
    assert dialog.choices["tags"].button(2).text() == "work"
    assert dialog.choices["splits"].button(1).text() == "Food 30.00 + Travel 20.00"
    assert dialog.choices["splits"].button(2).text() == "—"
    assert not dialog.choices["currency"].button(1).isEnabled()  # the same on both sides
    dialog.choose("tags", theirs=True)
    dialog.choose("base_amount", theirs=True)  # their amount is converted, not charged
    chosen = dialog.selected()
    assert chosen["tags"] == ["work"]
    assert chosen["base_amount"] is None  # so it is converted again, not settled at 51.95
    assert chosen["splits"] == mine["splits"]


def test_a_settled_amount_of_theirs_is_kept_as_charged(qtbot):
    mine = {"amount": "50.00", "base_amount": None}
    dialog = ConflictDialog(mine, theirs(base_amount=Decimal("52.00"), settled=True), {})
    qtbot.addWidget(dialog)
    dialog.choose("base_amount", theirs=True)
    assert dialog.selected()["base_amount"] == "52.00"
