"""Matching against the real server: creates and imports link the payments of
recurring expenses; upcoming (on a fixed clock too); suggestions from a seeded history."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import asyncpg
import httpx

from api.recurring import service
from tests.api.bank_import_helpers import commit
from tests.api.helpers import add_expense, category_id
from tests.api.test_recurring import RECURRING, TODAY, create, get, upcoming


def test_an_expense_that_matches_is_linked_and_the_plan_advances(client, account):
    plan = create(client, account, next_due="2026-03-05")
    expense = add_expense(
        client,
        account,
        amount="15.99",
        spent_on="2026-03-07",
        description="NETFLIX.COM",
        category_id=category_id(client, account, "Other"),
    )
    assert expense["recurring_id"] == plan["id"]
    again = client.get(f"/api/v1/expenses/{expense['id']}", headers=account.headers).json()
    assert again["recurring_id"] == plan["id"]
    after = get(client, account, plan)
    assert (after["next_due"], after["amount"], after["version"]) == ("2026-04-05", "15.99", 2)
    # A second payment for the same month pays nothing: March is paid, April too far.
    twice = add_expense(
        client, account, amount="15.99", spent_on="2026-03-07", description="Netflix"
    )
    assert twice["recurring_id"] is None


def test_an_expense_outside_the_tolerances_is_not_linked(client, account):
    plan = create(client, account, next_due="2026-03-05", day_tolerance=1, amount_tolerance=0.05)
    entertainment = category_id(client, account, "Entertainment")
    for amount, day in [("15.00", "2026-03-07"), ("15.76", "2026-03-05")]:
        expense = add_expense(
            client, account, amount=amount, spent_on=day, category_id=entertainment
        )
        assert expense["recurring_id"] is None
    exact = add_expense(
        client, account, amount="15.75", spent_on="2026-03-06", category_id=entertainment
    )
    assert exact["recurring_id"] == plan["id"]


def test_the_closest_due_date_wins_between_two_plans_and_ties_by_id(client, account):
    first = create(client, account, description="Gym A", next_due="2026-05-01")
    second = create(client, account, description="Gym B", next_due="2026-05-03")
    entertainment = category_id(client, account, "Entertainment")
    tie = add_expense(
        client, account, spent_on="2026-05-02", category_id=entertainment, amount="15.00"
    )
    assert tie["recurring_id"] == first["id"]  # one day from each: the lower id
    closer = add_expense(
        client, account, spent_on="2026-05-03", category_id=entertainment, amount="15.00"
    )
    assert closer["recurring_id"] == second["id"]


def test_upcoming_lists_overdue_first_then_expected_and_paid(client, account):
    bills = category_id(client, account, "Bills")
    late = create(
        client,
        account,
        description="Rent",
        amount="900",
        category_id=bills,
        next_due=str(TODAY - timedelta(days=10)),
    )
    soon = create(
        client,
        account,
        description="Phone",
        amount="20",
        category_id=bills,
        next_due=str(TODAY + timedelta(days=2)),
        every="week",
    )
    # Phone's first occurrence paid early, at a new price.
    paid = add_expense(
        client,
        account,
        amount="21.00",
        spent_on=str(TODAY),
        category_id=bills,
        description="Phone bill",
    )
    assert paid["recurring_id"] == soon["id"]
    items = upcoming(client, account, days=14)
    summary = [(i["recurring_id"], i["due"], i["status"]) for i in items]
    assert summary == [
        (late["id"], str(TODAY - timedelta(days=10)), "overdue"),
        (soon["id"], str(TODAY + timedelta(days=2)), "paid"),
        (soon["id"], str(TODAY + timedelta(days=9)), "expected"),
    ]
    assert items[1]["expense_id"] == paid["id"]
    assert items[1]["amount"] == "21.00"
    assert (items[2]["amount"], items[2]["previous_amount"]) == ("21.00", "20.00")
    assert items[0]["previous_amount"] is None
    assert items[0]["currency"] == "USD"


def test_upcoming_on_a_fixed_clock(client, account, database_url):
    create(client, account, next_due="2026-01-10", every="month", ends="2026-04-10")

    async def run(today: date, days: int) -> list:
        conn = await asyncpg.connect(database_url)
        try:
            return await service.upcoming(conn, account.profile["id"], today, days)
        finally:
            await conn.close()

    items = asyncio.run(run(date(2026, 3, 1), 60))
    assert [(i.due, i.status) for i in items] == [
        (date(2026, 1, 10), "overdue"),
        (date(2026, 2, 10), "overdue"),
        (date(2026, 3, 10), "expected"),
        (date(2026, 4, 10), "expected"),  # and none after `ends`
    ]
    assert asyncio.run(run(date(2026, 1, 1), 5)) == []


def test_suggestions_come_from_a_regular_history(client, account):
    entertainment = category_id(client, account, "Entertainment")
    last = TODAY - timedelta(days=5)
    ids = []
    for weeks in (15, 10, 5, 0):  # every 5 weeks: not a period we suggest
        add_expense(
            client,
            account,
            amount="7.00",
            description="Cinema",
            spent_on=str(last - timedelta(weeks=weeks)),
            category_id=entertainment,
        )
    for months_back in (3, 2, 1, 0):
        day = date(last.year, last.month, min(last.day, 28))
        year, month = divmod(day.month - 1 - months_back, 12)
        day = day.replace(year=day.year + year, month=month + 1)
        expense = add_expense(
            client,
            account,
            amount="9.99",
            description=" Spotify  Premium",
            spent_on=str(day),
            category_id=entertainment,
        )
        ids.append(expense["id"])
    response = client.get(f"{RECURRING}/suggestions", headers=account.headers)
    assert response.status_code == 200, response.text
    [found] = response.json()["items"]
    assert (found["description"], found["every"], found["interval"]) == (
        "Spotify  Premium",
        "month",
        1,
    )
    assert (found["amount"], found["currency"], found["category_id"]) == (
        "9.99",
        "USD",
        entertainment,
    )
    assert found["expense_ids"] == ids
    # Once planned, it is no longer suggested.
    create(client, account, description="spotify", amount="9.99", next_due=found["next_due"])
    assert client.get(f"{RECURRING}/suggestions", headers=account.headers).json()["items"] == []


def test_imported_expenses_are_matched_in_date_order(client, account):
    plan = create(
        client,
        account,
        description="Gym",
        amount="30.00",
        next_due="2026-01-15",
        category_id=category_id(client, account, "Health"),
    )
    csv = (
        "date,category,description,amount,notes\n"
        "2026-02-14,Health,GYM MEMBERSHIP,30.00,\n"
        "2026-01-16,Health,Gym membership,30.00,\n"
        "2026-01-17,Health,Gym towel,5.00,\n"
    )
    response = client.post(
        "/api/v1/expenses/import",
        content=csv.encode(),
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    linked = {
        (item["spent_on"], item["recurring_id"])
        for item in client.get(
            "/api/v1/expenses", params={"q": "gym"}, headers=account.headers
        ).json()["items"]
    }
    assert linked == {
        ("2026-01-16", plan["id"]),
        ("2026-02-14", plan["id"]),
        ("2026-01-17", None),
    }
    assert get(client, account, plan)["next_due"] == "2026-03-15"


def test_concurrent_payments_of_one_occurrence_link_exactly_one(client, account, api_url):
    plan = create(client, account, next_due="2026-06-01")
    body = {
        "amount": "15.00",
        "spent_on": "2026-06-01",
        "category_id": category_id(client, account, "Entertainment"),
    }

    def pay(_: int) -> dict:
        with httpx.Client(base_url=api_url, timeout=30) as http:
            response = http.post("/api/v1/expenses", json=body, headers=account.headers)
            assert response.status_code == 201, response.text
            return response.json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        created = list(pool.map(pay, range(8)))
    assert sum(1 for expense in created if expense["recurring_id"] == plan["id"]) == 1
    assert get(client, account, plan)["next_due"] == "2026-07-01"


def test_descriptions_compare_by_unicode_case_folding(client, account):
    plan = create(
        client,
        account,
        description="Straße",
        amount="4.00",
        next_due="2026-07-01",
        category_id=category_id(client, account, "Transport"),
    )
    other = category_id(client, account, "Other")
    miss = add_expense(
        client,
        account,
        amount="4.00",
        spent_on="2026-07-01",
        description="Strand café",
        category_id=other,
    )
    assert miss["recurring_id"] is None
    hit = add_expense(
        client,
        account,
        amount="4.00",
        spent_on="2026-07-01",
        description="PARKING STRASSE 12",
        category_id=other,
    )
    assert hit["recurring_id"] == plan["id"]


def test_bank_imports_link_payments(client, account):
    netflix = create(client, account, description="Netflix", amount="9.99", next_due="2025-02-04")
    rent = create(
        client,
        account,
        description="rent",
        amount="1150.00",
        next_due="2025-02-27",
        category_id=category_id(client, account, "Bills"),
    )
    commit(client, account, "checking_sgml.ofx", account="Checking 3210")
    listed = client.get("/api/v1/expenses", headers=account.headers).json()["items"]
    assert {(e["description"], e["recurring_id"]) for e in listed} == {
        ("WHOLE FOODS MKT #123", None),
        ("NETFLIX.COM", netflix["id"]),
        ("Rent March", rent["id"]),  # 1200.00 is within 10 % of 1150.00
    }
    assert (get(client, account, rent)["amount"], get(client, account, rent)["next_due"]) == (
        "1200.00",
        "2025-03-27",
    )


def test_an_import_follows_a_plan_whose_amount_moves_with_each_payment(client, account):
    # Each payment makes its amount the plan's: 119.00 is not within 10 % of the
    # plan's 100.00, only of the 109.00 paid before it. The import reads only the
    # expenses a plan might take, by everything but the amount (which moves).
    gym = create(client, account, description="Gym", amount="100.00", next_due="2025-01-05")
    other = create(client, account, description="Gym", amount="100.00", currency="EUR",
                   next_due="2025-01-05")  # fmt: skip
    lines = ["2025-01-05;Gym Jan;-109.00", "2025-02-05;Gym Feb;-119.00",
             "2025-03-06;Gym Mar;-130.00", "2025-03-07;Shoes;-119.00"]  # fmt: skip
    statement = ("Date;Description;Amount\n" + "\n".join(lines) + "\n").encode()
    commit(client, account, statement)
    listed = client.get("/api/v1/expenses", headers=account.headers).json()["items"]
    assert {(e["description"], e["recurring_id"]) for e in listed} == {
        ("Gym Jan", gym["id"]),
        ("Gym Feb", gym["id"]),
        ("Gym Mar", gym["id"]),
        ("Shoes", None),
    }
    assert (get(client, account, gym)["amount"], get(client, account, gym)["next_due"]) == (
        "130.00",
        "2025-04-05",
    )
    assert get(client, account, other)["next_due"] == "2025-01-05"


def test_an_import_links_to_a_plan_named_beyond_ascii(client, account):
    # casefold('Geschäft') keeps its 'ä': only a text beyond ASCII can hold it, and
    # the import reads only those (and the plan's category) for this plan.
    plan = create(client, account, description="Geschäft", amount="30.00",
                  next_due="2025-01-10")  # fmt: skip
    lines = ["2025-01-10;KARTENZAHLUNG GESCHÄFT 3;-30.00", "2025-01-10;Geschaft 3;-30.00",
             "2025-02-10;Shop;-30.00"]  # fmt: skip
    commit(client, account, ("Date;Description;Amount\n" + "\n".join(lines)).encode())
    listed = client.get("/api/v1/expenses", headers=account.headers).json()["items"]
    assert {(e["description"], e["recurring_id"]) for e in listed} == {
        ("KARTENZAHLUNG GESCHÄFT 3", plan["id"]),
        ("Geschaft 3", None),
        ("Shop", None),
    }


def test_setting_the_amount_by_hand_forgets_the_previous_one(client, account, database_url):
    plan = create(client, account, next_due="2026-08-01")
    add_expense(client, account, amount="16.00", spent_on="2026-08-01", description="Netflix")

    async def previous() -> object:
        conn = await asyncpg.connect(database_url)
        try:
            return await conn.fetchval(
                "SELECT previous_amount FROM recurring WHERE id = $1", plan["id"]
            )
        finally:
            await conn.close()

    assert str(asyncio.run(previous())) == "15.00"
    client.patch(f"{RECURRING}/{plan['id']}", json={"amount": "17"}, headers=account.headers)
    assert asyncio.run(previous()) is None


def test_a_plan_unpaid_for_decades_lists_its_last_hundred_misses(client, account, database_url):
    create(client, account, next_due="1990-01-01", every="week")

    async def run() -> list:
        conn = await asyncpg.connect(database_url)
        try:
            return await service.upcoming(conn, account.profile["id"], date(2026, 3, 2), 7)
        finally:
            await conn.close()

    items = asyncio.run(run())
    overdue = [item.due for item in items if item.status == "overdue"]
    assert len(overdue) == service.MAX_OVERDUE_PER_PLAN
    assert overdue[-1] == date(2026, 2, 23)  # a Monday, like 1990-01-01
    expected = [item.due for item in items if item.status == "expected"]
    assert expected == [date(2026, 3, 2), date(2026, 3, 9)]  # today to today + 7 days
