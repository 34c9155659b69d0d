"""Account ▸ Profile: a base-currency change says what the server converts again."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.views import account_profile, shell_commands
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import create_expense


def open_profile(qtbot, window):
    dialog = shell_commands.open_account(window)
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def me(client, account) -> dict:
    return client.get("/api/v1/me", headers=account.headers).json()


def test_changing_the_base_currency_asks_with_the_count_first(
    qtbot, signed_in, client, account, monkeypatch
):
    for amount in ("10.00", "20.00", "30.00"):
        create_expense(client, account, amount=amount, category="Food")
    asked: list[tuple[str, str, int]] = []
    monkeypatch.setattr(
        account_profile,
        "confirm_currency_change",
        lambda _parent, old, new, count: asked.append((old, new, count)) or True,
    )
    dialog = open_profile(qtbot, signed_in)
    dialog.currency.setCurrentText("EUR")
    qtbot.mouseClick(dialog.save_profile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.profile_status.text() == "Saved.", timeout=WAIT_MS)
    assert asked == [("USD", "EUR", 3)]
    assert me(client, account)["currency"] == "EUR"
    idle(qtbot, signed_in)
    assert signed_in.account_label.text().endswith("· EUR")
    assert (
        signed_in.filters.currency.itemText(2) == "EUR"
    )  # the new base first (after "Not converted yet")
    assert signed_in.expenses.model.currency == "EUR"


def test_declining_sends_nothing_and_puts_the_currency_back(
    qtbot, signed_in, client, account, monkeypatch, ui_thread_guard
):
    create_expense(client, account, amount="10.00", category="Food")
    monkeypatch.setattr(account_profile, "confirm_currency_change", lambda *a: False)
    dialog = open_profile(qtbot, signed_in)
    dialog.currency.setCurrentText("GBP")
    qtbot.mouseClick(dialog.save_profile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.save_profile.isEnabled, timeout=WAIT_MS)
    assert dialog.currency.currentText() == "USD"
    assert me(client, account)["currency"] == "USD"
    assert ("PATCH", "/api/v1/me") not in {(m, p) for m, p, _ in ui_thread_guard.calls}


def test_a_name_change_alone_asks_nothing(qtbot, signed_in, client, account, monkeypatch):
    def never(*_args):
        raise AssertionError("asked about the currency")

    monkeypatch.setattr(account_profile, "confirm_currency_change", never)
    dialog = open_profile(qtbot, signed_in)
    dialog.display_name.setText("Grace")
    qtbot.mouseClick(dialog.save_profile, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.profile_status.text() == "Saved.", timeout=WAIT_MS)
    assert me(client, account)["display_name"] == "Grace"


def test_the_question_names_both_currencies_and_the_count():
    text = account_profile.currency_question("USD", "EUR", 1234)
    assert text.startswith("Change the base currency from USD to EUR?")
    assert "all 1,234 of your expenses" in text
    assert "keeps its own currency and amount" in text
    assert "your 1 expense" in account_profile.currency_question("USD", "EUR", 1)
    assert "no expenses" in account_profile.currency_question("USD", "EUR", 0)
