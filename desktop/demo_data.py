"""A year of believable expenses for the demo account, the same on every run.

Seeded ``random.Random`` and dates relative to today: the demo always shows the
last twelve months, with a rhythm a real budget has (rent on the 1st, groceries
twice a week, a couple of trips, the odd dentist bill).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from desktop.filters import add_months, month_start

SEED = 20240601


@dataclass(frozen=True)
class Row:
    spent_on: date
    category: str
    description: str
    amount: Decimal
    notes: str = ""
    currency: str = ""  # empty: the account's base currency
    base_amount: Decimal | None = None  # what the card was charged, when known
    tags: tuple[str, ...] = ()
    split_group: str = ""  # rows sharing one are the parts of one receipt


def _money(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(f"{rng.uniform(low, high):.2f}")


def _pick(rng: random.Random, options: tuple[str, ...]) -> str:
    return options[rng.randrange(len(options))]


GROCERS = ("Trader Joe's", "Whole Foods", "Safeway", "Farmers market", "Costco")
EATING_OUT = ("Blue Bottle Coffee", "Chipotle", "Sushi Ran", "Pizzeria Delfina", "Thai Basil")
SHOPS = ("Amazon", "IKEA", "Uniqlo", "REI", "Target", "Apple Store", "Bookshop")
FUN = ("Cinema", "Concert tickets", "Bowling", "Museum", "Board game café")
TRIPS = (
    ("Flight to Denver", "Hotel in Denver"),
    ("Train to Portland", "Airbnb in Portland"),
    ("Flight to New York", "Hotel in Brooklyn"),
)


def _month_rows(rng: random.Random, first: date, last_day: date) -> Iterator[Row]:
    days = (last_day - first).days + 1

    def day(n: int) -> date:
        return first + timedelta(days=min(n, days - 1))

    yield Row(day(0), "Bills", "Rent", Decimal("1450.00"), "Paid by standing order")
    yield Row(day(4), "Bills", "Electricity", _money(rng, 48, 118))
    yield Row(day(9), "Bills", "Internet", Decimal("59.99"))
    yield Row(day(14), "Bills", "Phone plan", Decimal("35.00"))
    yield Row(day(2), "Transport", "Transit pass", Decimal("89.00"))
    yield Row(day(6), "Entertainment", "Netflix", Decimal("15.49"))
    yield Row(day(1), "Health", "Gym membership", Decimal("39.00"))
    for week in range(0, days, 7):
        for offset in rng.sample(range(7), 2):
            yield Row(day(week + offset), "Food", _pick(rng, GROCERS), _money(rng, 28, 135))
    for _ in range(rng.randint(6, 11)):
        yield Row(day(rng.randrange(days)), "Food", _pick(rng, EATING_OUT), _money(rng, 4, 62))
    for _ in range(rng.randint(1, 4)):
        yield Row(day(rng.randrange(days)), "Shopping", _pick(rng, SHOPS), _money(rng, 12, 180))
    for _ in range(rng.randint(0, 3)):
        yield Row(day(rng.randrange(days)), "Entertainment", _pick(rng, FUN), _money(rng, 9, 85))
    for _ in range(rng.randint(1, 3)):
        yield Row(day(rng.randrange(days)), "Transport", "Lyft", _money(rng, 9, 38))
    if rng.random() < 0.3:
        yield Row(day(rng.randrange(days)), "Health", "Pharmacy", _money(rng, 8, 45))
    if rng.random() < 0.12:
        yield Row(day(rng.randrange(days)), "Health", "Dentist", _money(rng, 120, 260), "Check-up")
    if rng.random() < 0.25:
        flight, stay = TRIPS[rng.randrange(len(TRIPS))]
        start = rng.randrange(max(days - 5, 1))
        yield Row(day(start), "Travel", flight, _money(rng, 180, 420), "Return ticket")
        yield Row(day(start + 1), "Travel", stay, _money(rng, 240, 680), "3 nights")
    if rng.random() < 0.4:
        yield Row(day(rng.randrange(days)), "Other", "Haircut", Decimal("32.00"))
    if first.month == 12:
        yield Row(day(18), "Other", "Holiday gifts", _money(rng, 150, 320), "Family and friends")


def _trip_and_receipts(today: date) -> Iterator[Row]:
    """What the money release shows off: a trip abroad in EUR and GBP (one hotel bill
    with the card's charged amount), a refund, two split receipts, and one expense in
    a currency the demo has no rates for, so the "not converted" badge appears."""
    trip = today - timedelta(days=9)  # recent: the first screen of the table shows it
    away = ("vacation",)

    def on(days: int) -> date:
        return trip + timedelta(days=days)

    yield Row(
        on(0), "Travel", "Flight to Lisbon", Decimal("612.40"), "Return via London", tags=away
    )
    yield Row(on(0), "Travel", "Hotel in Alfama", Decimal("420.00"), "4 nights", "EUR",
              Decimal("468.35"), away)  # fmt: skip
    yield Row(on(1), "Food", "Pastéis de Belém", Decimal("9.60"), currency="EUR", tags=away)
    yield Row(on(1), "Transport", "Tram 28", Decimal("6.00"), currency="EUR", tags=away)
    yield Row(on(2), "Food", "Time Out Market", Decimal("38.50"), currency="EUR", tags=away)
    yield Row(on(4), "Travel", "TAP flight to London", Decimal("89.00"), currency="EUR", tags=away)
    yield Row(on(4), "Food", "Dishoom", Decimal("54.20"), currency="GBP", tags=away)
    yield Row(on(5), "Transport", "Tube fares", Decimal("18.40"), currency="GBP", tags=away)
    yield Row(on(5), "Shopping", "British Museum shop", Decimal("24.99"), currency="GBP",
              tags=(*away, "gift"))  # fmt: skip
    yield Row(today - timedelta(days=20), "Shopping", "Uniqlo (returned jacket)",
              Decimal("-49.90"), "Refund to card")  # fmt: skip
    costco = today - timedelta(days=10)
    yield Row(costco, "Food", "Costco", Decimal("84.20"), split_group="costco")
    yield Row(costco, "Shopping", "Costco", Decimal("45.80"), split_group="costco")
    target = today - timedelta(days=25)
    for category, amount in (("Shopping", "32.50"), ("Health", "12.99"), ("Food", "18.75")):
        yield Row(target, category, "Target", Decimal(amount), split_group="target")
    yield Row(today - timedelta(days=3), "Entertainment", "Ski pass", Decimal("79.00"),
              currency="CHF", tags=("winter",))  # fmt: skip


def _tagged(row: Row) -> Row:
    if row.description == "Blue Bottle Coffee":
        return Row(row.spent_on, row.category, row.description, row.amount, row.notes,
                   tags=("work",))  # fmt: skip
    return row


def demo_rows(today: date, months: int = 12, seed: int = SEED) -> list[Row]:
    """About ``months`` months of expenses ending ``today``, newest last."""
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    rows: list[Row] = []
    first_month = add_months(month_start(today), -(months - 1))
    for index in range(months):
        first = add_months(first_month, index)
        last = min(add_months(first, 1) - timedelta(days=1), today)
        rows.extend(_tagged(row) for row in _month_rows(rng, first, last) if row.spent_on <= today)
    rows.extend(_trip_and_receipts(today))
    return sorted(rows, key=lambda row: row.spent_on)


def demo_csv(rows: list[Row]) -> bytes:
    """The API's import format, second release (currency, charged amount, tags, splits)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow(
            [
                row.spent_on.isoformat(), row.category, row.description, row.amount, row.notes,
                row.currency, "" if row.base_amount is None else row.base_amount,
                ", ".join(row.tags), row.split_group,
            ]
        )  # fmt: skip
    return out.getvalue().encode("utf-8")


CSV_HEADER = (
    "date", "category", "description", "amount", "notes", "currency", "base_amount", "tags",
    "split_group",
)  # fmt: skip


def demo_rates(today: date, days: int = 400, seed: int = SEED) -> bytes:
    """Illustrative euro rates (USD and GBP) for the demo's year, in the ECB's CSV
    format: the demo must convert without a network. They are not real rates; a
    real server loads the ECB's with `expense-api rates fetch`. CHF is left out."""
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    usd, gbp = Decimal("1.0850"), Decimal("0.8450")
    lines = ["Date,USD,GBP"]
    for offset in range(days):
        day = today - timedelta(days=offset)
        usd += Decimal(rng.randrange(-40, 41)) / 10_000
        gbp += Decimal(rng.randrange(-20, 21)) / 10_000
        if day.weekday() < 5:  # published on working days, like the real ones
            lines.append(f"{day.isoformat()},{usd:.4f},{gbp:.4f}")
    return ("\n".join(lines) + "\n").encode()
