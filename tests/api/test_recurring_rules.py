"""The rules of recurring expenses without a server: schedules, matching, suggestions,
projection and the calendar text (read back by the icalendar library)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import icalendar
from hypothesis import given
from hypothesis import strategies as st

from api.budgets.service import projected
from api.recurring import calendar, schedule
from api.recurring.matching import Candidate, PlanState, choose
from api.recurring.suggestions import Group, suggest
from wire.recurring import Occurrence

D = Decimal


def plan(
    id: int = 1,
    amount: str = "15.00",
    next_due: date = date(2026, 1, 31),
    every: str = "month",
    interval: int = 1,
    category_id: int = 7,
    description: str = "Netflix",
    currency: str = "EUR",
    day_tolerance: int = 3,
    amount_tolerance: str = "0.10",
    ends: date | None = None,
) -> PlanState:
    return PlanState(
        id=id,
        description=description,
        amount=D(amount),
        currency=currency,
        category_id=category_id,
        plan=schedule.Plan(next_due, every, interval, ends),
        next_due=next_due,
        amount_tolerance=D(amount_tolerance),
        day_tolerance=day_tolerance,
        previous_amount=None,
    )


def spent(
    id: int, day: date, amount: str = "15.00", category_id: int = 7, description: str = ""
) -> Candidate:
    return Candidate(id, day, D(amount), "EUR", category_id, description)


def test_a_monthly_plan_on_the_31st_does_not_drift():
    p = schedule.Plan(date(2026, 1, 31), "month", 1)
    days = list(schedule.occurrences(p, date(2026, 1, 1), date(2026, 5, 31)))
    assert days == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
    assert schedule.following(p, date(2026, 2, 28)) == date(2026, 3, 31)


@given(
    anchor=st.dates(date(1990, 1, 1), date(2100, 1, 1)),
    every=st.sampled_from(["week", "month", "year"]),
    interval=st.integers(1, 24),
    offset=st.integers(0, 3000),
)
def test_index_from_finds_the_first_occurrence_on_or_after_any_day(anchor, every, interval, offset):
    p = schedule.Plan(anchor, every, interval)
    day = anchor + timedelta(days=offset)
    n = schedule.index_from(p, day)
    assert schedule.occurrence(p, n) >= day
    assert n == 0 or schedule.occurrence(p, n - 1) < day


def test_an_expense_within_tolerances_pays_the_occurrence_and_next_due_advances():
    netflix = plan()
    links = choose([spent(10, date(2026, 2, 2), "16.50")], [netflix])
    assert [(link.expense_id, link.due) for link in links] == [(10, date(2026, 1, 31))]
    assert netflix.next_due == date(2026, 2, 28)
    # The new amount is the plan's; the old one is kept for the next occurrence.
    assert (netflix.amount, netflix.previous_amount) == (D("16.50"), D("15.00"))


def test_outside_a_tolerance_nothing_matches():
    cases = [
        spent(1, date(2026, 2, 4)),  # 4 days late
        spent(2, date(2026, 1, 31), "16.51"),  # 10.07 % more
        spent(3, date(2026, 1, 31), "13.49"),
        spent(4, date(2026, 1, 31), category_id=8, description="Spotify"),
        spent(5, date(2026, 1, 31), "-15.00"),  # a refund
        Candidate(6, date(2026, 1, 31), D("15.00"), "USD", 7, ""),
    ]
    for expense in cases:
        assert choose([expense], [plan()]) == [], expense


def test_the_edges_of_the_tolerances_match():
    for expense in [
        spent(1, date(2026, 2, 3)),
        spent(2, date(2026, 1, 28)),
        spent(3, date(2026, 1, 31), "16.50"),
        spent(4, date(2026, 1, 31), "13.50"),
        spent(5, date(2026, 1, 31), category_id=99, description="NETFLIX.COM 0123"),
    ]:
        assert len(choose([expense], [plan()])) == 1, expense


def test_the_closest_due_date_wins_and_ties_go_to_the_lower_id():
    early, late = plan(id=5, next_due=date(2026, 3, 1)), plan(id=2, next_due=date(2026, 3, 5))
    links = choose([spent(1, date(2026, 3, 2))], [late, early])
    assert (links[0].recurring_id, links[0].due) == (5, date(2026, 3, 1))
    a, b = plan(id=9, next_due=date(2026, 3, 1)), plan(id=4, next_due=date(2026, 3, 5))
    links = choose([spent(1, date(2026, 3, 3))], [a, b])
    assert links[0].recurring_id == 4  # two days from each: the lower id


def test_a_weekly_plan_takes_the_closer_of_two_occurrences():
    weekly = plan(next_due=date(2026, 3, 2), every="week", day_tolerance=5)
    links = choose([spent(1, date(2026, 3, 7))], [weekly])  # 5 days after, 2 before
    assert links[0].due == date(2026, 3, 9)
    # The skipped occurrence stays open (overdue), next_due does not move past it.
    assert weekly.next_due == date(2026, 3, 2)


def test_one_occurrence_is_paid_once_and_one_expense_links_once():
    netflix = plan()
    links = choose([spent(1, date(2026, 1, 30)), spent(2, date(2026, 1, 31))], [netflix])
    assert [(link.expense_id, link.due) for link in links] == [(1, date(2026, 1, 31))]
    two = [plan(id=1), plan(id=2)]
    links = choose([spent(3, date(2026, 1, 31))], two)
    assert len(links) == 1


@given(
    offsets=st.lists(st.integers(-40, 400), min_size=1, max_size=30),
    amounts=st.lists(st.integers(1300, 1700), min_size=30, max_size=30),
)
def test_matching_never_pays_twice_nor_links_twice_and_is_deterministic(offsets, amounts):
    def run() -> list:
        plans = [plan(id=1), plan(id=2, every="week", next_due=date(2026, 1, 29))]
        expenses = [
            spent(i + 1, date(2026, 1, 31) + timedelta(days=o), f"{amounts[i] / 100:.2f}")
            for i, o in enumerate(offsets)
        ]
        return choose(list(reversed(expenses)), plans)

    links = run()
    assert len({link.expense_id for link in links}) == len(links)
    assert len({(link.recurring_id, link.due) for link in links}) == len(links)
    assert links == run()


def group(days: list[date], amounts: list[str] | None = None) -> Group:
    amounts = amounts or ["9.99"] * len(days)
    ids = list(range(100, 100 + len(days)))
    return Group("Gym", 3, "EUR", ids, days, [D(a) for a in amounts])


def test_a_monthly_history_is_suggested_with_its_next_due():
    history = group([date(2026, 1, 3), date(2026, 2, 4), date(2026, 3, 2), date(2026, 4, 3)])
    [found] = suggest([history], [], today=date(2026, 4, 20))
    assert (found.every, found.interval, found.next_due) == ("month", 1, date(2026, 5, 3))
    assert found.expense_ids == [100, 101, 102, 103]
    assert found.amount == D("9.99")


def test_weekly_and_yearly_histories_are_suggested():
    weekly = group([date(2026, 3, 2) + timedelta(weeks=n) for n in range(4)])
    yearly = group([date(2023, 6, 1), date(2024, 6, 2), date(2025, 5, 30)])
    found = suggest([weekly, yearly], [], today=date(2026, 3, 24))
    assert {(s.every, s.interval) for s in found} == {("week", 1), ("year", 1)}


def test_irregular_short_spread_or_stopped_histories_are_not_suggested():
    irregular = group([date(2026, 1, 3), date(2026, 1, 20), date(2026, 3, 2)])
    two = group([date(2026, 2, 3), date(2026, 3, 3)])
    spread = group([date(2026, 1, 3), date(2026, 2, 3), date(2026, 3, 3)], ["10", "10", "12"])
    stopped = group([date(2025, 1, 3), date(2025, 2, 3), date(2025, 3, 3)])
    assert suggest([irregular, two, spread, stopped], [], today=date(2026, 3, 10)) == []


def test_a_history_already_planned_is_not_suggested():
    history = group([date(2026, 1, 3), date(2026, 2, 3), date(2026, 3, 3)])
    planned = plan(description="gym", category_id=3, amount="9.99", next_due=date(2026, 4, 3))
    assert suggest([history], [planned], today=date(2026, 3, 10)) == []


def test_projection_extrapolates_the_current_month_on_a_fixed_clock():
    # 100.00 in the first 10 days of a 30-day month: 300.00 by the end.
    assert projected(D("100.00"), date(2026, 4, 1), date(2026, 4, 10)) == D("300.00")
    # Half-even to the cent: 10.00 / 3 x 31 = 103.333...
    assert projected(D("10.00"), date(2026, 1, 1), date(2026, 1, 3)) == D("103.33")
    # 0.05 / 2 x 31 = 0.775 → 0.78; 0.03 / 2 x 28 = 0.42
    assert projected(D("0.05"), date(2026, 1, 1), date(2026, 1, 2)) == D("0.78")
    # Past (and future) months: spent itself.
    assert projected(D("42.00"), date(2026, 3, 1), date(2026, 4, 10)) == D("42.00")


def test_the_calendar_reads_back_as_rfc_5545():
    items = [
        Occurrence(
            1, "Rent; flat, 3\\B\nnote", date(2026, 5, 1), D("900.00"), "EUR", "overdue", None, None
        ),
        Occurrence(
            2, "Ünïcödé " * 20, date(2026, 5, 3), D("9.99"), "USD", "expected", None, D("8.99")
        ),
    ]
    text = calendar.render(items, datetime(2026, 5, 2, 8, 0, tzinfo=UTC))
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    parsed = icalendar.Calendar.from_ical(text)
    events = parsed.walk("VEVENT")
    assert [event.decoded("DTSTART") for event in events] == [date(2026, 5, 1), date(2026, 5, 3)]
    assert str(events[0]["SUMMARY"]) == "Rent; flat, 3\\B\nnote: 900.00 EUR (overdue)"
    assert str(events[1]["SUMMARY"]).startswith("Ünïcödé Ünïcödé")
    assert len({str(event["UID"]) for event in events}) == 2
    assert parsed["VERSION"] == "2.0"
