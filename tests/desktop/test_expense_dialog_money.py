"""The expense dialog's money against the real API: currency picker, live conversion,
the charged (settled) amount. Rates are the API tests' shipped ECB files, imported
by ``expense-api rates import``; a new account's base currency is USD.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from desktop.views.money_fields import RECENT_LIMIT
from tests.desktop.conftest import WAIT_MS, idle
from tests.desktop.helpers import create, expense, import_rates
from tests.desktop.test_expenses_view import closed
from tests.desktop.test_keyboard_entry import open_dialog
from wire.currencies_iso import ISO_4217

FRIDAY = date(2024, 12, 20)  # 1 EUR = 1.039 USD, 1 GBP = 1.25236551233682 USD


@pytest.fixture(autouse=True)
def rates(database_url) -> None:
    import_rates(database_url)


def set_day(dialog, day: date) -> None:
    dialog.spent_on.setDate(QDate(day.year, day.month, day.day))


def rate_requests(log) -> int:
    return sum(1 for method, path, _ in log.calls if (method, path) == ("GET", "/api/v1/rates"))


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT_MS)


def test_recent_currencies_come_first_then_every_iso_code(qtbot, signed_in, client, account):
    # Recorded oldest to newest: GBP, then JPY, then EUR.
    for day, currency in ((date(2026, 5, 1), "GBP"), (date(2026, 5, 2), "JPY"),
                          (date(2026, 5, 3), "EUR")):  # fmt: skip
        create(client, account, amount="10.00", currency=currency, spent_on=day,
               category_id=signed_in.categories.categories[0].id)  # fmt: skip
    signed_in.expenses.model.reload()
    idle(qtbot, signed_in)
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    picker = dialog.currency
    qtbot.waitUntil(lambda: len(picker.recent) == 4, timeout=WAIT_MS)
    assert picker.recent == ["USD", "EUR", "JPY", "GBP"]  # the base, then the newest first
    assert picker.code() == "USD"  # the default is the base currency
    listed = [picker.itemText(row) for row in range(picker.count())]
    assert listed[:4] == picker.recent
    assert listed[4] == ""
    assert sorted(listed[5:]) == sorted(set(ISO_4217) - set(picker.recent))
    assert len(picker.recent) <= RECENT_LIMIT
    # Typing a code picks it, whatever its case.
    picker.lineEdit().setText("chf")
    assert picker.code() == "CHF"
    dialog.reject()


def test_the_converted_amount_is_shown_live_and_saved(
    qtbot, signed_in, client, account, ui_thread_guard
):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    idle(qtbot, signed_in)
    assert dialog.conversion.isHidden()  # the base currency needs no conversion
    assert not dialog.form.isRowVisible(dialog.charged_row)
    qtbot.keyClicks(dialog.amount, "12.00")
    set_day(dialog, FRIDAY)
    dialog.currency.set_code("EUR")
    assert dialog.conversion.isVisible()
    assert dialog.form.isRowVisible(dialog.charged_row)
    qtbot.waitUntil(lambda: "≈" in dialog.conversion.text(), timeout=WAIT_MS)
    assert dialog.conversion.text() == "≈ $12.47 at 1.039 (rate of 2024-12-20)"
    # Typing the amount uses the rate already known: no request, the text follows at once.
    asked = rate_requests(ui_thread_guard)
    dialog.amount.setText("120.00")
    assert dialog.conversion.text() == "≈ $124.68 at 1.039 (rate of 2024-12-20)"
    assert rate_requests(ui_thread_guard) == asked
    qtbot.keyClicks(dialog.description, "Dinner in Lisbon")
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    saved = signed_in.expenses.model.expense(0)
    stored = expense(client, account, saved.id)
    assert (stored["amount"], stored["currency"]) == ("120.00", "EUR")
    assert (stored["base_amount"], stored["rate"], stored["settled"]) == ("124.68", "1.039", False)


def test_a_weekend_uses_fridays_rate_and_a_gap_says_no_rate_yet(qtbot, signed_in):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    dialog.amount.setText("100")
    dialog.currency.set_code("GBP")
    set_day(dialog, date(2024, 12, 22))  # a Sunday
    qtbot.waitUntil(lambda: "≈" in dialog.conversion.text(), timeout=WAIT_MS)
    assert dialog.conversion.text() == "≈ $125.24 at 1.25237 (rate of 2024-12-20)"
    set_day(dialog, date(2024, 12, 12))  # ten days after the 2 December rates
    qtbot.waitUntil(lambda: "No rate" in dialog.conversion.text(), timeout=WAIT_MS)
    assert dialog.conversion.text() == "No rate yet — it will be converted when rates arrive."
    dialog.reject()


def test_changing_the_date_quickly_asks_for_one_rate(qtbot, signed_in, ui_thread_guard):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    dialog.amount.setText("10")
    idle(qtbot, signed_in)
    before = rate_requests(ui_thread_guard)
    dialog.currency.set_code("EUR")
    for day in range(14, 21):  # the arrow key held on the day: 14 … 20 December
        set_day(dialog, date(2024, 12, day))
    qtbot.waitUntil(lambda: "≈" in dialog.conversion.text(), timeout=WAIT_MS)
    idle(qtbot, signed_in)
    assert rate_requests(ui_thread_guard) == before + 1
    assert dialog.conversion.text().endswith("(rate of 2024-12-20)")
    dialog.reject()


def test_a_charged_amount_is_kept_and_settles_and_clearing_it_converts_again(
    qtbot, signed_in, client, account
):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    dialog.amount.setText("50.00")
    dialog.currency.set_code("EUR")
    set_day(dialog, FRIDAY)
    qtbot.keyClicks(dialog.charged, "53.10")
    qtbot.keyClicks(dialog.description, "Hotel deposit")
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    saved = signed_in.expenses.model.expense(0)
    stored = expense(client, account, saved.id)
    assert (stored["base_amount"], stored["settled"], stored["rate"]) == ("53.10", True, "1.039")

    signed_in.expenses.select_row(0)
    dialog = open_dialog(qtbot, signed_in, signed_in.edit_action)
    assert dialog.charged.text() == "53.10"
    dialog.charged.clear()
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    stored = expense(client, account, saved.id)
    assert (stored["base_amount"], stored["settled"]) == ("51.95", False)  # 50 * 1.039


def test_editing_other_fields_never_settles_a_converted_expense(qtbot, signed_in, client, account):
    made = create(client, account, amount="50.00", currency="EUR", spent_on=FRIDAY,
                  category_id=signed_in.categories.categories[0].id)  # fmt: skip
    assert made["settled"] is False
    signed_in.expenses.model.reload()
    idle(qtbot, signed_in)
    signed_in.expenses.select_row(0)
    dialog = open_dialog(qtbot, signed_in, signed_in.edit_action)
    assert dialog.charged.text() == ""  # the server's conversion is not "charged"
    dialog.description.setText("Museum")
    save(qtbot, dialog)
    idle(qtbot, signed_in)
    stored = expense(client, account, made["id"])
    assert (stored["description"], stored["settled"], stored["base_amount"]) == (
        "Museum",
        False,
        "51.95",
    )


def test_a_charged_amount_of_the_wrong_sign_is_refused_beside_it(qtbot, signed_in):
    dialog = open_dialog(qtbot, signed_in, signed_in.new_action)
    dialog.amount.setText("50.00")
    dialog.currency.set_code("EUR")
    dialog.charged.setText("-3")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("base_amount") == "Must have the same sign as the amount"
    assert dialog.isVisible()
    dialog.reject()
