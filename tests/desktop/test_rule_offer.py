"""Moving the same payee to the same category twice offers a rule, which imports apply."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt

from desktop.views import rule_offer
from desktop.views.import_wizard import wizard
from tests.api.bank_import_helpers import FILES
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import category_id, import_rows, today


def edit_category(qtbot, window, description, amount, category):
    model = window.expenses.model
    row = next(
        r for r in range(model.rowCount())
        if (model.expense(r).description, str(model.expense(r).amount)) == (description, amount)
    )  # fmt: skip
    window.expenses.dialog = None
    window.expenses.select_row(row)
    window.edit_action.trigger()
    qtbot.waitUntil(lambda: window.expenses.dialog is not None, timeout=WAIT_MS)
    dialog = window.expenses.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.category.setCurrentIndex(dialog.category.findText(category))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible(),
                    timeout=WAIT_MS)  # fmt: skip
    idle(qtbot, window)
    qtbot.wait(50)  # the offer waits for the dialog to close (a zero timer)
    idle(qtbot, window)


def rules(client, account):
    response = client.get("/api/v1/rules", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_second_move_of_a_payee_offers_a_rule_and_imports_follow_it(
    qtbot, signed_in, client, account, monkeypatch
):
    import_rows(client, account, [
        (today(), "Food", "NETFLIX.COM", "9.99"),
        (today(), "Food", "NETFLIX.COM", "10.99"),
        (today(), "Food", "Bakery", "3.20"),
    ])  # fmt: skip
    signed_in.refresh()
    qtbot.waitUntil(lambda: signed_in.expenses.model.rowCount() == 3, timeout=WAIT_MS)
    idle(qtbot, signed_in)
    asked = []
    monkeypatch.setattr(rule_offer, "ask_always", lambda *a: asked.append(a[1:]) or True)

    edit_category(qtbot, signed_in, "Bakery", "3.20", "Bills")  # another payee: no offer
    edit_category(qtbot, signed_in, "NETFLIX.COM", "9.99", "Bills")  # once: no offer yet
    assert asked == []
    assert rules(client, account) == []
    edit_category(qtbot, signed_in, "NETFLIX.COM", "10.99", "Bills")  # twice: the offer
    assert asked == [("NETFLIX.COM", "Bills")]
    qtbot.waitUntil(lambda: len(rules(client, account)) == 1, timeout=WAIT_MS)
    rule = rules(client, account)[0]
    assert rule["when"] == {"description_equals": "NETFLIX.COM"}
    assert rule["then"] == {"category_id": category_id(client, account, "Bills")}

    # Once offered, never asked again about that payee in this session.
    edit_category(qtbot, signed_in, "NETFLIX.COM", "10.99", "Food")
    edit_category(qtbot, signed_in, "NETFLIX.COM", "9.99", "Food")
    edit_category(qtbot, signed_in, "NETFLIX.COM", "10.99", "Bills")
    edit_category(qtbot, signed_in, "NETFLIX.COM", "9.99", "Bills")
    assert len(asked) == 1

    # The wizard shows the rule's result on the statement's NETFLIX row.
    monkeypatch.setattr(wizard, "ask_statement", lambda *a: FILES / "checking_sgml.ofx")
    signed_in.import_action.trigger()
    dialog = signed_in.transfer.wizard
    qtbot.waitUntil(lambda: dialog.preview is not None and signed_in.runner.pending == 0,
                    timeout=WAIT_MS)  # fmt: skip
    netflix = next(i for i, row in enumerate(dialog.model.rows) if row.description == "NETFLIX.COM")
    model = dialog.model
    assert model.data(model.index(netflix, 5)) == "Bills"
    assert model.data(model.index(netflix, 7)) == rule["name"]
    dialog.reject()
