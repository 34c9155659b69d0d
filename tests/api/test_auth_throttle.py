"""Login throttling: per account (unknown emails too), counted in the database.

Every test uses its own email, so the session server's counters never collide;
all requests come from 127.0.0.1, whose per-address limit (300) is never reached.
"""

from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support import PASSWORD, run_sql, unique_email

WINDOW_SECONDS = 15 * 60
WRONG_PASSWORD = "wrong password"


def login(client, email: str, password: str = WRONG_PASSWORD):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def assert_throttled(response) -> int:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= WINDOW_SECONDS
    return retry_after


def test_eleventh_attempt_after_ten_failures_is_429_even_with_the_right_password(client, account):
    for _ in range(10):
        assert login(client, account.email).status_code == 401
    assert_throttled(login(client, account.email))
    # The right password does not get through either: otherwise guessing would go on.
    assert_throttled(login(client, account.email.upper(), PASSWORD))


def test_unknown_emails_are_throttled_too(client):
    email = unique_email("ghost")
    for _ in range(10):
        assert login(client, email).status_code == 401
    assert_throttled(login(client, email))


def test_one_throttled_account_does_not_lock_out_its_neighbours(client, account, other_account):
    # Same client address for both: the per-address limit is far above 10.
    for _ in range(11):
        login(client, account.email)
    assert_throttled(login(client, account.email))
    assert login(client, other_account.email, PASSWORD).status_code == 200


def test_a_successful_login_resets_the_consecutive_count(client, account):
    for _ in range(9):
        assert login(client, account.email).status_code == 401
    assert login(client, account.email, PASSWORD).status_code == 200
    # Without the reset these would be failures 10 and 11.
    assert login(client, account.email).status_code == 401
    assert login(client, account.email).status_code == 401


def test_retry_after_says_when_logins_work_again(client, account, database_url):
    for _ in range(10):
        login(client, account.email)
    assert_throttled(login(client, account.email))
    # Age the window until it has a second left, instead of waiting 15 minutes.
    run_sql(
        database_url,
        "UPDATE login_failure SET window_started_at = now() - make_interval(secs => $2)"
        " WHERE subject = $1",
        f"account:{account.profile['id']}",
        float(WINDOW_SECONDS - 1),
    )
    retry_after = assert_throttled(login(client, account.email, PASSWORD))
    assert retry_after == 1
    time.sleep(retry_after + 0.2)
    assert login(client, account.email, PASSWORD).status_code == 200


def test_parallel_guesses_cannot_exceed_the_limit(api_url, account):
    # Checking the count before hashing and recording after would let a burst pass.
    def guess(_: int) -> int:
        with httpx.Client(base_url=api_url, timeout=30) as http:
            return login(http, account.email).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(guess, range(16)))
    assert statuses.count(401) == 10
    assert statuses.count(429) == 6


def test_counters_live_in_the_database(client, database_url):
    email = unique_email("counted")
    login(client, email)
    login(client, email)
    # An email of no account is counted under a digest of it (bounded key length).
    subject = "email:" + hashlib.sha256(email.encode()).hexdigest()
    rows = run_sql(database_url, "SELECT failures FROM login_failure WHERE subject = $1", subject)
    assert [row["failures"] for row in rows] == [2]
