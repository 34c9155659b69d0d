"""End to end: ``expense-tracker demo --screenshot`` starts an embedded PostgreSQL and
the API, seeds the demo account over HTTP, renders the real windows and exits."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.support import REPO_ROOT

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_demo_renders_the_dashboard_and_expenses_to_png(tmp_path: Path, qapp):
    shots, data = tmp_path / "shots", tmp_path / "demo-data"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-m", "desktop.app", "demo", "--screenshot", str(shots),
         "--data-dir", str(data)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("dashboard", "expenses", "dashboard-dark"):
        path = shots / f"{name}.png"
        assert path.read_bytes()[:8] == PNG
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1280, 800)
        # Not a blank window: many distinct colours (charts, swatches, text).
        colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
        assert len(colours) > 20, name
    assert "signed in as demo@example.com" in result.stdout
    # The import wizard with the demo's ambiguous statement, before and after choosing.
    for name in ("import-wizard-ambiguous", "import-wizard"):
        assert (shots / f"{name}.png").read_bytes()[:8] == PNG, name
    seeded, plans = demo_account(data)
    assert len(seeded) > 100  # a year of demo data
    # The money release's showcase: a trip in EUR and GBP converted by the demo's
    # rates, the hotel's charged amount kept, two split receipts, one expense (CHF)
    # without a rate for the dashboard's "not converted" badge.
    currencies = {row[2] for row in seeded}
    assert {"USD", "EUR", "GBP", "CHF"} <= currencies
    assert all(row[3] is not None for row in seeded if row[2] in ("EUR", "GBP"))
    assert [row[1] for row in seeded if row[3] is None] == ["Ski pass"]
    assert [row[1] for row in seeded if row[4]] == ["Hotel in Alfama"]
    assert sorted(row[1] for row in seeded if row[5]) == ["Costco", "Target"]
    # Planning: five budgets, Food overspent and carrying it; four subscriptions, one
    # overdue and one whose price went up (the old price shown beside the new).
    budgets, subscriptions, upcoming = plans
    assert len(budgets) == 5
    food = next(b for b in budgets if b.name == "Food")
    assert food.spent > food.available
    assert food.carried < 0
    assert sorted(s.description for s in subscriptions) == [
        "Cloud storage", "Gym membership", "Netflix", "Spotify",
    ]  # fmt: skip
    assert upcoming[0].status == "overdue"
    spotify = next(o for o in upcoming if o.description == "Spotify")
    assert (spotify.amount, spotify.previous_amount) == (Decimal("11.99"), Decimal("10.99"))
    for name in ("budgets", "upcoming"):
        assert (shots / f"{name}.png").read_bytes()[:8] == PNG
    # A second run reuses the data folder and the account: no duplicate seeding.
    again = subprocess.run(
        [sys.executable, "-m", "desktop.app", "demo", "--screenshot", str(shots),
         "--data-dir", str(data)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert again.returncode == 0, again.stdout + again.stderr
    assert demo_account(data) == (seeded, plans)  # the same expenses and plans, none added


def demo_account(data: Path) -> tuple[list[tuple], tuple]:
    """The demo account's expenses (id, description, money) and its plans (budget
    lines, subscriptions, upcoming), read over HTTP from the demo's own data folder,
    the way the app reads them."""
    from desktop.client import ApiClient
    from desktop.demo import DEMO_EMAIL, DEMO_PASSWORD, api_server
    from desktop.filters import ExpenseQuery

    with api_server(data) as url:
        client = ApiClient(url, timeout=60)
        try:
            client.login(DEMO_EMAIL, DEMO_PASSWORD)
            plans = (client.budget_status().budgets, client.recurring(), client.upcoming().items)
            rows, cursor = [], None
            while True:
                page = client.expenses(ExpenseQuery(), cursor)
                rows += [
                    (e.id, e.description, e.currency, e.base_amount, e.settled, bool(e.splits))
                    for e in page.items
                ]
                if not (cursor := page.next_cursor):
                    return rows, plans
        finally:
            client.close()
