"""The calendar feed: a secret URL, RFC 5545 content (read back by icalendar),
revocation, and the throttle on guessing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import icalendar
import pytest

from tests.api.helpers import category_id
from tests.support import run_sql

TOKEN = "/api/v1/me/calendar-token"
TODAY = datetime.now(UTC).date()


def make_url(client, account) -> str:
    response = client.post(TOKEN, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()["url"]


def fetch(url: str) -> httpx.Response:
    return httpx.get(url, timeout=30)  # no Authorization: calendar apps send none


@pytest.fixture(autouse=True)
def fresh_throttle(database_url):
    # Every test shares 127.0.0.1: the failures of one must not block the next.
    run_sql(database_url, "DELETE FROM login_failure WHERE subject LIKE 'calendar%'")
    yield
    run_sql(database_url, "DELETE FROM login_failure WHERE subject LIKE 'calendar%'")


def test_the_feed_is_a_valid_calendar_of_upcoming_occurrences(client, account, api_url):
    bills = category_id(client, account, "Bills")
    for body in (
        {"description": "Rent, flat; 3", "amount": "900", "next_due": str(TODAY - timedelta(1))},
        {"description": "Phone", "amount": "20", "next_due": str(TODAY + timedelta(3)),
         "every": "week", "ends": str(TODAY + timedelta(20))},
    ):  # fmt: skip
        made = client.post(
            "/api/v1/recurring", json={**body, "category_id": bills}, headers=account.headers
        )
        assert made.status_code == 201, made.text
    url = make_url(client, account)
    assert url.startswith(f"{api_url}/api/v1/recurring/calendar.ics?token=")
    response = fetch(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(response.text)
    events = parsed.walk("VEVENT")
    starts = sorted(event.decoded("DTSTART") for event in events if "Phone" in event["SUMMARY"])
    assert starts == [TODAY + timedelta(days) for days in (3, 10, 17)]
    rent = [str(e["SUMMARY"]) for e in events if str(e["SUMMARY"]).startswith("Rent")]
    assert rent[0] == "Rent, flat; 3: 900.00 USD (overdue)"
    assert len(rent) == 13  # yesterday's, overdue, and twelve within the next year
    assert all(
        event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(1) for event in events
    )


def test_a_new_token_revokes_the_old_and_delete_revokes_it(client, account):
    old = make_url(client, account)
    new = make_url(client, account)
    assert fetch(old).status_code == 404
    assert fetch(new).status_code == 200
    assert client.delete(TOKEN, headers=account.headers).status_code == 204
    assert fetch(new).status_code == 404
    assert client.delete(TOKEN, headers=account.headers).status_code == 204


def test_only_a_hash_of_the_secret_is_stored(client, account, database_url):
    url = make_url(client, account)
    secret = url.split("token=")[1].split(".")[1]
    [row] = run_sql(
        database_url,
        "SELECT verifier_hash FROM calendar_token WHERE user_id = $1",
        account.profile["id"],
    )
    assert secret not in row["verifier_hash"]
    assert len(row["verifier_hash"]) == 64


def test_a_wrong_secret_with_a_real_selector_is_404(client, account, api_url):
    url = make_url(client, account)
    selector = url.split("token=")[1].split(".")[0]
    for token in (f"{selector}.wrong", selector, "", "x" * 101, f"{selector}.{'A' * 43}"):
        response = fetch(f"{api_url}/api/v1/recurring/calendar.ics?token={token}")
        assert response.status_code in (404, 422), token
        assert response.headers["content-type"].startswith("application/problem+json")


def test_guessing_is_throttled_per_address(client, account, api_url):
    good = make_url(client, account)
    statuses = [
        fetch(f"{api_url}/api/v1/recurring/calendar.ics?token=abc.{n}").status_code
        for n in range(25)
    ]
    assert statuses[:20] == [404] * 20
    assert set(statuses[20:]) == {429}
    blocked = fetch(good)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0


def test_the_feed_needs_no_bearer_but_the_token_routes_do(client):
    assert client.post(TOKEN).status_code == 401
    assert client.delete(TOKEN).status_code == 401
