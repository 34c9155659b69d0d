"""Expenses in several currencies: conversion at the right day, settled amounts,
frozen rates, rates that arrive later, a base-currency change, unconverted counts.

Expected figures are worked by hand from the shipped rates files (tests/api/rates/):
on 2024-12-20 one euro bought 1.0390 USD and 0.82963 GBP; the next publication
before it is 2024-12-19, and before that 2024-12-02. Days of their own (2019) get
rates written by the tests themselves, so no other module's expectations move.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.api.helpers import add_expense, import_rates, write_rates
from tests.support import Account

RATES_DIR = Path(__file__).parent / "rates"
EXPENSES = "/api/v1/expenses"


@pytest.fixture(scope="module", autouse=True)
def published_rates(database_url: str) -> None:
    for name in ("eurofxref-hist.csv", "eurofxref.csv"):
        import_rates(database_url, RATES_DIR / name)


def money(expense: dict) -> tuple:
    return (
        expense["currency"],
        expense["amount"],
        expense["rate"],
        expense["base_amount"],
        expense["settled"],
    )


def patch(client: httpx.Client, account: Account, expense: dict, **fields: object) -> dict:
    response = client.patch(f"{EXPENSES}/{expense['id']}", json=fields, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def get(client: httpx.Client, account: Account, expense: dict) -> dict:
    response = client.get(f"{EXPENSES}/{expense['id']}", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def summary(client: httpx.Client, account: Account, **params: object) -> dict:
    response = client.get(f"{EXPENSES}/summary", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_expense_in_the_base_currency_is_its_own_base_amount(client, account):
    expense = add_expense(client, account, amount="12.34", spent_on="2024-12-20")
    assert money(expense) == ("USD", "12.34", "1", "12.34", False)


def test_a_foreign_expense_converts_at_its_days_rate(client, account):
    expense = add_expense(client, account, amount="10.00", currency="EUR", spent_on="2024-12-20")
    assert money(expense) == ("EUR", "10.00", "1.039", "10.39", False)
    # GBP -> USD crosses through the euro: 1.0390 / 0.82963 = 1.252365512336824849… -> 15 digits.
    pounds = add_expense(client, account, amount="20.00", currency="GBP", spent_on="2024-12-20")
    assert money(pounds) == ("GBP", "20.00", "1.25236551233682", "25.05", False)


@pytest.mark.parametrize("day", ["2024-12-21", "2024-12-22"])
def test_a_weekend_takes_fridays_rate(client, account, day):
    expense = add_expense(client, account, amount="10.00", currency="EUR", spent_on=day)
    assert (expense["rate"], expense["base_amount"]) == ("1.039", "10.39")


def test_no_rate_within_seven_days_leaves_it_unconverted_and_counted(client, account):
    # 2024-12-02 is the last publication before 2024-12-12: ten days older.
    waiting = add_expense(client, account, amount="10.00", currency="EUR", spent_on="2024-12-12")
    assert money(waiting) == ("EUR", "10.00", None, None, False)
    add_expense(client, account, amount="5.00", spent_on="2024-12-12")
    assert summary(client, account, **{"from": "2024-12-01", "to": "2024-12-31"}) == {
        "count": 2,
        "total": "5.00",
        "average": "5.00",
        "min": "5.00",
        "max": "5.00",
        "unconverted": 1,
        "currency": "USD",
    }
    monthly = client.get(
        "/api/v1/analytics/monthly", params={"from": "2024-12", "to": "2024-12"},
        headers=account.headers,
    ).json()  # fmt: skip
    assert monthly["unconverted"] == 1
    assert monthly["months"] == [{"month": "2024-12", "total": "5.00", "count": 2}]
    by_category = client.get(
        "/api/v1/analytics/categories", params={"from": "2024-12-01", "to": "2024-12-31"},
        headers=account.headers,
    ).json()  # fmt: skip
    assert (by_category["total"], by_category["unconverted"]) == ("5.00", 1)
    listed = client.get(EXPENSES, params={"unconverted": "true"}, headers=account.headers)
    assert [item["id"] for item in listed.json()["items"]] == [waiting["id"]]


def test_rates_arriving_later_convert_what_waited(client, account, database_url, tmp_path):
    waiting = add_expense(client, account, amount="100.00", currency="GBP", spent_on="2019-07-03")
    assert waiting["base_amount"] is None
    # 1.1300 / 0.89000 = 1.26966292134831 (15 digits); 100 x that = 126.966… -> 126.97
    output = import_rates(
        database_url, write_rates(tmp_path / "day.csv", "01 July 2019", USD="1.1300", GBP="0.89000")
    )
    # The command says how many it converted: this one at least (other tests' expenses
    # may wait for the same day).
    converted_count = re.search(r"(\d+) waiting expense\(s\) converted", output)
    assert converted_count is not None, output
    assert int(converted_count.group(1)) >= 1
    converted = get(client, account, waiting)
    assert money(converted) == ("GBP", "100.00", "1.26966292134831", "126.97", False)
    assert converted["version"] == waiting["version"] + 1  # a client's copy is stale now


def test_a_converted_expense_keeps_its_rate_until_it_changes(
    client, account, database_url, tmp_path
):
    first = write_rates(tmp_path / "v1.csv", "01 August 2019", USD="1.1000")
    import_rates(database_url, first)
    expense = add_expense(client, account, amount="10.00", currency="EUR", spent_on="2019-08-01")
    assert (expense["rate"], expense["base_amount"]) == ("1.1", "11.00")
    import_rates(database_url, write_rates(tmp_path / "v2.csv", "01 August 2019", USD="1.2000"))
    assert get(client, account, expense)["base_amount"] == "11.00"  # frozen
    renamed = patch(client, account, expense, description="still the same money")
    assert renamed["base_amount"] == "11.00"
    changed = patch(client, account, expense, amount="20.00")
    assert (changed["rate"], changed["base_amount"]) == ("1.2", "24.00")


def test_a_charged_amount_is_kept_until_it_is_cleared(client, account):
    expense = add_expense(
        client, account, amount="10.00", currency="EUR", spent_on="2024-12-20", base_amount="10.55"
    )
    assert money(expense) == ("EUR", "10.00", "1.039", "10.55", True)
    moved = patch(client, account, expense, spent_on="2024-12-19")
    assert money(moved) == ("EUR", "10.00", "1.0354", "10.55", True)  # the day's rate, kept amount
    cleared = patch(client, account, expense, base_amount=None)
    assert money(cleared) == ("EUR", "10.00", "1.0354", "10.35", False)  # 10.354 -> 10.35
    again = patch(client, account, expense, base_amount="10.40")
    assert money(again)[3:] == ("10.40", True)


def test_a_new_base_currency_converts_everything_again(client, account):
    euros = add_expense(client, account, amount="10.00", currency="EUR", spent_on="2024-12-20")
    dollars = add_expense(client, account, amount="20.00", spent_on="2024-12-20")
    charged = add_expense(
        client, account, amount="10.00", currency="GBP", spent_on="2024-12-20", base_amount="12.60"
    )
    waiting = add_expense(client, account, amount="3.00", currency="GBP", spent_on="2024-12-12")
    response = client.patch("/api/v1/me", json={"currency": "EUR"}, headers=account.headers)
    assert response.status_code == 200, response.text
    assert response.json()["currency"] == "EUR"
    assert money(get(client, account, euros)) == ("EUR", "10.00", "1", "10.00", False)
    # 1 / 1.0390 = 0.962463907603465; 20 x that = 19.2492… -> 19.25
    assert money(get(client, account, dollars)) == (
        "USD", "20.00", "0.962463907603465", "19.25", False
    )  # fmt: skip
    # Settled: 12.60 USD at the day's USD->EUR rate = 12.1270… -> 12.13, still settled;
    # its rate is the day's GBP->EUR: 1 / 0.82963 = 1.205356604751515… -> 1.20535660475152.
    assert money(get(client, account, charged)) == (
        "GBP", "10.00", "1.20535660475152", "12.13", True
    )  # fmt: skip
    assert money(get(client, account, waiting)) == ("GBP", "3.00", None, None, False)
    totals = summary(client, account, **{"from": "2024-12-01", "to": "2024-12-31"})
    assert (totals["currency"], totals["total"], totals["unconverted"]) == ("EUR", "41.38", 1)


def test_the_currency_filter_and_bad_currencies(client, account):
    add_expense(client, account, amount="1.00", currency="EUR", spent_on="2024-12-20")
    add_expense(client, account, amount="2.00", spent_on="2024-12-20")
    listed = client.get(EXPENSES, params={"currency": "EUR"}, headers=account.headers).json()
    assert [item["amount"] for item in listed["items"]] == ["1.00"]
    for bad in ("ABC", "eur", "EURO"):
        response = client.post(
            EXPENSES,
            json={"amount": "1.00", "category_id": listed["items"][0]["category_id"],
                  "spent_on": "2024-12-20", "currency": bad},
            headers=account.headers,
        )  # fmt: skip
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["field"] == "currency"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"amount": "10.00", "base_amount": "-10.00"}, "base_amount"),
        ({"amount": "-10.00", "base_amount": "10.00"}, "base_amount"),
        ({"amount": "10.00", "base_amount": "0"}, "base_amount"),
        ({"amount": "10.00", "base_amount": "1.234"}, "base_amount"),
    ],
)
def test_a_charged_amount_has_the_sign_of_the_amount(client, account, fields, field):
    existing = add_expense(client, account, currency="EUR", spent_on="2024-12-20")
    body = {"category_id": existing["category_id"], "spent_on": "2024-12-20", "currency": "EUR"}
    response = client.post(EXPENSES, json={**body, **fields}, headers=account.headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
    # On an update the rule holds against the stored amount.
    if fields["amount"] == "10.00" and fields["base_amount"] == "-10.00":
        response = client.patch(
            f"{EXPENSES}/{existing['id']}", json={"base_amount": "-1.00"}, headers=account.headers
        )
        assert response.status_code == 422, response.text
