"""The budget status agrees with the contract's arithmetic, month by month, for any
history: the server's one statement against a plain loop over the months here."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import category_id
from tests.support import register_and_login

MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
amounts = st.integers(-5000, 20000).filter(bool).map(lambda cents: Decimal(cents) / 100)
expenses = st.lists(
    st.tuples(st.sampled_from(MONTHS), st.sampled_from(["Food", "Bills"]), amounts),
    max_size=12,
)


def expected(history, category, limit, rollover, starts, month) -> dict[str, Decimal]:
    """The contract, literally: a loop over every month from `starts`."""

    def spent(m: str) -> Decimal:
        return sum(
            (a for when, name, a in history if when == m and category in (None, name)),
            Decimal("0.00"),
        )

    carried = Decimal("0.00")
    if rollover:
        for m in MONTHS[MONTHS.index(starts) : MONTHS.index(month)]:
            carried += limit - spent(m)
    return {
        "carried": carried,
        "available": limit + carried,
        "spent": spent(month),
        "remaining": limit + carried - spent(month),
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    history=expenses,
    category=st.sampled_from([None, "Food"]),
    limit=st.integers(1, 50000).map(lambda cents: Decimal(cents) / 100),
    rollover=st.booleans(),
    starts=st.sampled_from(MONTHS),
    month=st.sampled_from(MONTHS),
)
def test_status_matches_a_loop_over_the_months(
    client, history, category, limit, rollover, starts, month
):
    account = register_and_login(client)
    ids = {name: category_id(client, account, name) for name in ("Food", "Bills")}
    for when, name, amount in history:
        response = client.post(
            "/api/v1/expenses",
            json={"amount": str(amount), "category_id": ids[name], "spent_on": f"{when}-15"},
            headers=account.headers,
        )
        assert response.status_code == 201, response.text
    budget = {"amount": str(limit), "rollover": rollover, "starts": starts}
    if category:
        budget["category_id"] = ids[category]
    made = client.post("/api/v1/budgets", json=budget, headers=account.headers)
    assert made.status_code == 201, made.text
    body = client.get(
        "/api/v1/budgets/status", params={"month": month}, headers=account.headers
    ).json()
    if MONTHS.index(month) < MONTHS.index(starts):
        assert body["budgets"] == []
        return
    [line] = body["budgets"]
    got = {key: Decimal(line[key]) for key in ("carried", "available", "spent", "remaining")}
    assert got == expected(history, category, limit, rollover, starts, month)
    assert Decimal(line["projected"]) == got["spent"]  # a past month
