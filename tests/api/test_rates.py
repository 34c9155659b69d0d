"""`GET /api/v1/rates`: the rate for a day, in the caller's base currency, from the real database.

Expected rates are worked out by hand (`bc`, scale=30, then rounded half-even to 15
significant digits) from the shipped files in tests/api/rates/.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.api.helpers import import_rates
from tests.support import Account, register_and_login

RATES_DIR = Path(__file__).parent / "rates"


@pytest.fixture(scope="module", autouse=True)
def published_rates(database_url: str) -> None:
    """The shipped files in the session's database (idempotent, so any order is fine)."""
    for name in ("eurofxref-hist.csv", "eurofxref.csv"):
        import_rates(database_url, RATES_DIR / name)


def rate(client: httpx.Client, account: Account, currency: str, day: str) -> httpx.Response:
    return client.get(
        "/api/v1/rates", params={"currency": currency, "date": day}, headers=account.headers
    )


def ok(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def test_the_rate_of_a_publication_day(client, account):
    # A new account's base currency is USD; 1 EUR bought 1.0390 USD on 2024-12-20.
    assert ok(rate(client, account, "EUR", "2024-12-20")) == {
        "currency": "EUR",
        "base": "USD",
        "date": "2024-12-20",
        "rate": "1.039",
    }


@pytest.mark.parametrize("day", ["2024-12-21", "2024-12-22"])
def test_a_weekend_takes_fridays_rate(client, account, day):
    body = ok(rate(client, account, "EUR", day))
    assert (body["date"], body["rate"]) == ("2024-12-20", "1.039")


def test_a_rate_serves_seven_days_and_no_more(client, account):
    # Published 2024-12-02; nothing again until 2024-12-19.
    body = ok(rate(client, account, "EUR", "2024-12-09"))
    assert (body["date"], body["rate"]) == ("2024-12-02", "1.0502")
    gap = rate(client, account, "EUR", "2024-12-10")
    assert gap.status_code == 404, gap.text
    assert gap.headers["content-type"].startswith("application/problem+json")
    assert rate(client, account, "EUR", "2024-12-01").status_code == 404  # before any rate


def test_cross_rates_go_through_the_euro(client, account):
    # USD per JPY = 1.0390 / 162.88 = 0.006378929273084479371…
    body = ok(rate(client, account, "JPY", "2024-12-20"))
    assert (body["base"], body["rate"]) == ("USD", "0.00637892927308448")
    # USD per GBP = 1.0390 / 0.82963 = 1.252365512336824849…
    assert ok(rate(client, account, "GBP", "2024-12-20"))["rate"] == "1.25236551233682"


def test_with_the_euro_as_base(client):
    euro = register_and_login(client, currency="EUR")
    # EUR per USD = 1 / 1.0390 = 0.962463907603464870…
    body = ok(rate(client, euro, "USD", "2024-12-20"))
    assert body == {
        "currency": "USD",
        "base": "EUR",
        "date": "2024-12-20",
        "rate": "0.962463907603465",
    }
    assert ok(rate(client, euro, "EUR", "2024-12-10"))["rate"] == "1"


def test_another_users_base_currency_changes_the_answer(client, account):
    pounds = register_and_login(client, currency="GBP")
    dollars = ok(rate(client, account, "JPY", "2024-12-20"))
    sterling = ok(rate(client, pounds, "JPY", "2024-12-20"))
    assert dollars["base"] == "USD"
    # GBP per JPY = 0.82963 / 162.88 = 0.005093504420432220…
    assert sterling == {
        "currency": "JPY",
        "base": "GBP",
        "date": "2024-12-20",
        "rate": "0.00509350442043222",
    }


def test_a_cross_rate_takes_both_currencies_from_one_publication(client):
    krona = register_and_login(client, currency="ISK")
    # ISK is N/A on Friday 2024-12-20, so Thursday's rates: 143.90 / 163.30 = 0.881200244947948560…
    body = ok(rate(client, krona, "JPY", "2024-12-21"))
    assert (body["date"], body["rate"]) == ("2024-12-19", "0.881200244947949")


def test_the_daily_file_and_the_base_currency_itself(client, account):
    # 3 January 2025 from the daily layout: USD per GBP = 1.0321 / 0.82830 = 1.246046118556078715…
    body = ok(rate(client, account, "GBP", "2025-01-05"))
    assert (body["date"], body["rate"]) == ("2025-01-03", "1.24604611855608")
    assert ok(rate(client, account, "USD", "1950-06-01")) == {
        "currency": "USD",
        "base": "USD",
        "date": "1950-06-01",
        "rate": "1",
    }


def test_an_unknown_currency_is_404(client, account):
    assert rate(client, account, "XXX", "2024-12-20").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"currency": "usd", "date": "2024-12-20"}, "currency"),
        ({"currency": "EURO", "date": "2024-12-20"}, "currency"),
        ({"currency": "", "date": "2024-12-20"}, "currency"),
        ({"currency": "EUR", "date": "2024-13-01"}, "date"),
        ({"currency": "EUR", "date": "yesterday"}, "date"),
        ({"currency": "EUR", "date": "1899-12-31"}, "date"),
        ({"currency": "EUR", "date": "3000-01-01"}, "date"),
        ({"currency": "EUR"}, "date"),
        ({"date": "2024-12-20"}, "currency"),
    ],
)
def test_a_bad_currency_or_date_is_422(client, account, params, field):
    response = client.get("/api/v1/rates", params=params, headers=account.headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    # A missing parameter is named in `detail` only (api.errors gets no field from Litestar).
    named = {error["field"] for error in problem["errors"]} or {field} & set(
        problem["detail"].split("'")
    )
    assert field in named, problem


def test_rates_need_a_signed_in_user(client):
    response = client.get("/api/v1/rates", params={"currency": "EUR", "date": "2024-12-20"})
    assert response.status_code == 401


def test_the_route_is_documented(client):
    document = client.get("/api/schema/openapi.json").json()
    operation = document["paths"]["/api/v1/rates"]["get"]
    assert operation["operationId"] == "getRate"
    assert operation["summary"] == "The exchange rate for a day"
    assert {"200", "401", "404", "422"} <= operation["responses"].keys()
