"""The tags manager: rename (undoable), merge and delete (confirmed with counts)."""

from __future__ import annotations

from urllib.parse import quote

from desktop.operations import Changes, inverse
from desktop.operations.tags import delete_tag, merge_tag, rename_tag
from desktop.views import tags_dialog
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, create_expense, tags
from wire.tags import Tag


def open_manager(qtbot, window) -> tags_dialog.TagsDialog:
    window.tags_action.trigger()
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(tags_dialog.TagsDialog)),
        timeout=WAIT_MS,
    )
    dialog = window.findChildren(tags_dialog.TagsDialog)[-1]
    idle(qtbot, window)
    return dialog


def shown(dialog) -> dict[str, int]:
    return {tag.name: tag.count for tag in dialog.model.tags}


def seed(client, account) -> None:
    create_expense(client, account, amount="40.00", category="Food", tags=["trip", "food"])
    create_expense(client, account, amount="12.00", category="Food", tags=["Trip"])
    create_expense(client, account, amount="9.00", category="Other", tags=["a/b c"])


def test_the_list_shows_every_tag_with_its_count(qtbot, signed_in, client, account):
    seed(client, account)
    dialog = open_manager(qtbot, signed_in)
    assert shown(dialog) == {"a/b c": 1, "food": 1, "trip": 2}
    assert dialog.model.index(2, 1).data() == "2"
    assert not dialog.empty.isVisible()


def test_rename_then_undo_and_redo(qtbot, signed_in, client, account, monkeypatch):
    seed(client, account)
    dialog = open_manager(qtbot, signed_in)
    dialog.select("trip")
    monkeypatch.setattr(tags_dialog, "ask_name", lambda *a: "Holiday")
    dialog.rename()
    qtbot.waitUntil(lambda: "Holiday" in shown(dialog), timeout=WAIT_MS)
    assert tags(client, account) == {"a/b c": 1, "food": 1, "Holiday": 2}
    assert dialog.selected().name == "Holiday"
    assert signed_in.undo_action.text() == "Undo Rename tag trip"

    signed_in.undo_action.trigger()
    qtbot.waitUntil(lambda: "trip" in shown(dialog), timeout=WAIT_MS)  # the open list too
    assert tags(client, account) == {"a/b c": 1, "food": 1, "trip": 2}
    idle(qtbot, signed_in)
    signed_in.redo_action.trigger()
    qtbot.waitUntil(lambda: "Holiday" in tags(client, account), timeout=WAIT_MS)


def test_a_name_with_a_slash_and_a_space_is_renamed_and_deleted(
    qtbot, signed_in, client, account, monkeypatch
):
    seed(client, account)
    dialog = open_manager(qtbot, signed_in)
    dialog.select("a/b c")
    monkeypatch.setattr(tags_dialog, "ask_name", lambda *a: "x/y?z")
    dialog.rename()
    qtbot.waitUntil(lambda: "x/y?z" in shown(dialog), timeout=WAIT_MS)
    monkeypatch.setattr(tags_dialog, "confirm", lambda *a: True)
    dialog.select("x/y?z")
    dialog.delete()
    qtbot.waitUntil(lambda: "x/y?z" not in shown(dialog), timeout=WAIT_MS)
    assert tags(client, account) == {"food": 1, "trip": 2}


def test_renaming_onto_another_tag_asks_to_merge_and_says_how_many_move(
    qtbot, signed_in, client, account, monkeypatch
):
    seed(client, account)
    dialog = open_manager(qtbot, signed_in)
    asked: list[str] = []
    monkeypatch.setattr(tags_dialog, "ask_name", lambda *a: "FOOD")
    monkeypatch.setattr(tags_dialog, "confirm", lambda _p, _t, question, _a: asked.append(question))
    dialog.select("trip")
    dialog.rename()  # declined: nothing changes
    assert asked == [
        "Merge “trip” into “food”? 2 expenses will move to “food” and “trip” goes away. "
        "This cannot be undone."
    ]
    idle(qtbot, signed_in)
    assert tags(client, account) == {"a/b c": 1, "food": 1, "trip": 2}

    monkeypatch.setattr(tags_dialog, "confirm", lambda *a: True)
    dialog.rename()
    qtbot.waitUntil(lambda: "trip" not in shown(dialog), timeout=WAIT_MS)
    assert tags(client, account) == {"a/b c": 1, "food": 2}  # the target's spelling stays
    assert dialog.selected().name == "food"
    assert signed_in.operations.undo_label() is None  # a merge is not undoable


def test_merge_into_and_delete_keep_the_expenses(qtbot, signed_in, client, account, monkeypatch):
    seed(client, account)
    dialog = open_manager(qtbot, signed_in)
    monkeypatch.setattr(tags_dialog, "ask_target", lambda _p, _t, others: others[0])
    questions: list[str] = []
    monkeypatch.setattr(tags_dialog, "confirm", lambda _p, _t, q, _a: questions.append(q) or True)
    dialog.select("food")
    dialog.merge()  # into "a/b c", the first other tag by name
    qtbot.waitUntil(lambda: "food" not in shown(dialog), timeout=WAIT_MS)
    dialog.select("trip")
    dialog.delete()
    qtbot.waitUntil(lambda: "trip" not in shown(dialog), timeout=WAIT_MS)
    assert questions[-1] == (
        "Remove the tag “trip” from 2 expenses? The expenses stay; only the tag goes. "
        "This cannot be undone."
    )
    expenses = all_expenses(client, account)
    assert len(expenses) == 3
    assert sorted(tuple(e["tags"]) for e in expenses) == [(), ("a/b c",), ("a/b c",)]
    # The window's table reloaded: its rows carry the new tags.
    idle(qtbot, signed_in)
    model = signed_in.expenses.model
    assert sorted(tuple(model.expense(r).tags) for r in range(model.rowCount())) == [
        (),
        ("a/b c",),
        ("a/b c",),
    ]


def test_a_refused_name_is_said_in_the_dialog(qtbot, signed_in, client, account, monkeypatch):
    seed(client, account)
    dialog = open_manager(qtbot, signed_in)
    dialog.select("trip")
    monkeypatch.setattr(tags_dialog, "ask_name", lambda *a: "a,b")
    dialog.rename()
    assert dialog.banner.isVisible()
    assert "comma" in dialog.banner.text.lower()
    assert tags(client, account)["trip"] == 2


def test_no_tags_says_where_they_come_from(qtbot, signed_in):
    dialog = open_manager(qtbot, signed_in)
    assert dialog.empty.isVisible()
    assert not dialog.buttons["Rename…"].isEnabled()


def test_tag_ops_encode_the_name_and_only_a_rename_has_an_inverse():
    trip = Tag("a/b c", 2)
    rename = rename_tag(trip, "  Holiday ")
    assert rename.calls[0].path == "/api/v1/tags/" + quote("a/b c", safe="")
    assert rename.calls[0].body == {"name": "Holiday"}
    assert rename.changes & Changes.TAGS
    assert rename.changes & Changes.EXPENSES
    back = inverse(rename, [None])
    assert back is not None
    assert (back.calls[0].path, back.calls[0].body) == ("/api/v1/tags/Holiday", {"name": "a/b c"})
    assert inverse(merge_tag(trip, Tag("food", 1)), [None]) is None
    assert inverse(delete_tag(trip), [None]) is None
    assert delete_tag(trip).label == "Remove tag a/b c from 2 expenses"
