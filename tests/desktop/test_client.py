"""The API client's contract with the views: typed errors, one refresh, no surprises."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from desktop.client import ApiClient
from desktop.errors import ApiError, NotSignedIn, ServerUnreachable
from tests.desktop.helpers import today
from tests.support import closed_port
from wire.auth import TokenPair


@pytest.fixture(autouse=True)
def _called_directly(ui_thread_guard):
    """These tests are the client's own: they call it from the test, like a script."""
    with ui_thread_guard.test_calls():
        yield


@pytest.fixture
def api(api_url, account):
    client = ApiClient(api_url)
    client.set_tokens(TokenPair(account.access_token, account.refresh_token, 900))
    yield client
    client.close()


def test_unreachable_server_is_said_plainly():
    with closed_port() as port, pytest.raises(ServerUnreachable) as caught:
        ApiClient(f"http://127.0.0.1:{port}").categories()
    assert "Cannot reach the server" in str(caught.value)


def test_validation_errors_carry_the_fields(api):
    food = api.categories()[0].id
    with pytest.raises(ApiError) as caught:
        api.create_expense({"amount": Decimal("0"), "category_id": food, "spent_on": today()})
    assert caught.value.status == 422
    assert "amount" in caught.value.field_messages()


def test_a_dead_session_becomes_not_signed_in(api):
    api.set_tokens(TokenPair("bad.access", "bad-refresh", 900))
    with pytest.raises(NotSignedIn):
        api.me()
    assert api.tokens is None


def test_concurrent_401s_refresh_once(api, account):
    # Two refreshes with one refresh token would revoke the login (reuse detection).
    api.set_tokens(TokenPair("expired.access", account.refresh_token, 900))
    results: list[object] = []

    def call() -> None:
        try:
            results.append(api.me().email)
        except Exception as error:  # collected for the assertion below
            results.append(error)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [account.email] * 6
    assert api.me().email == account.email


def test_stale_if_match_is_412(api):
    food = api.categories()[0].id
    created = api.create_expense({"amount": "3.00", "category_id": food, "spent_on": today()})
    api.update_expense(created.id, {"description": "first"}, created.version)
    with pytest.raises(ApiError) as caught:
        api.update_expense(created.id, {"description": "second"}, created.version)
    assert caught.value.status == 412


def test_idempotency_key_makes_a_retry_create_nothing(api):
    food = api.categories()[0].id
    body = {"amount": "7.00", "category_id": food, "spent_on": today()}
    first = api.create_expense(body, "retry-key-1")
    again = api.create_expense(body, "retry-key-1")
    assert first.id == again.id
