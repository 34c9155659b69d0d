"""The categories manager: add, rename, recolour, delete with reassignment."""

from __future__ import annotations

import shiboken6

from desktop.views import categories_dialog
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import all_expenses, import_rows, today


def open_manager(qtbot, window):
    window.categories_action.trigger()
    qtbot.waitUntil(
        lambda: any(
            isinstance(w, categories_dialog.CategoriesDialog) and w.isVisible()
            for w in window.findChildren(categories_dialog.CategoriesDialog)
        ),
        timeout=WAIT_MS,
    )
    return window.findChildren(categories_dialog.CategoriesDialog)[-1]


def select(dialog, name):
    model = dialog.model
    row = next(r for r in range(model.rowCount()) if model.index(r).data() == name)
    dialog.list.setCurrentIndex(model.index(row))


def wait_for(qtbot, dialog, names_present=(), names_absent=()):
    def ready():
        names = {c.name for c in dialog.model.categories}
        return set(names_present) <= names and not (set(names_absent) & names)

    qtbot.waitUntil(ready, timeout=WAIT_MS)


def test_add_rename_recolour_and_delete_with_reassign(
    qtbot, signed_in, client, account, monkeypatch
):
    import_rows(client, account, [(today(), "Other", "Umbrella", "12.00")])
    dialog = open_manager(qtbot, signed_in)
    monkeypatch.setattr(categories_dialog, "ask_name", lambda *a, **k: "Pets")
    dialog.add()
    wait_for(qtbot, dialog, ["Pets"])

    select(dialog, "Pets")
    monkeypatch.setattr(categories_dialog, "ask_name", lambda *a, **k: "Animals")
    dialog.rename()
    wait_for(qtbot, dialog, ["Animals"], ["Pets"])

    select(dialog, "Animals")
    monkeypatch.setattr(categories_dialog, "ask_colour", lambda *a, **k: "#123456")
    dialog.recolour()
    qtbot.waitUntil(
        lambda: any(c.color == "#123456" for c in dialog.model.categories), timeout=WAIT_MS
    )

    animals = next(c for c in dialog.model.categories if c.name == "Animals")
    select(dialog, "Other")
    monkeypatch.setattr(categories_dialog, "ask_reassign", lambda *a, **k: animals.id)
    dialog.delete()
    wait_for(qtbot, dialog, ["Animals"], ["Other"])
    assert [e["category"] for e in all_expenses(client, account)] == ["Animals"]
    idle(qtbot, signed_in)  # the window reloads its filter bar and table
    assert signed_in.filters.category.findText("Other") == -1
    assert signed_in.filters.category.findText("Animals") > 0


def test_a_duplicate_name_shows_the_apis_answer(qtbot, signed_in, monkeypatch):
    dialog = open_manager(qtbot, signed_in)
    monkeypatch.setattr(categories_dialog, "ask_name", lambda *a, **k: "food")
    dialog.add()
    qtbot.waitUntil(dialog.banner.isVisible, timeout=WAIT_MS)
    # The API's own words for the 409, not a generic message of the client.
    assert dialog.banner.text == "A category with this name already exists."
    assert shiboken6.isValid(dialog)
