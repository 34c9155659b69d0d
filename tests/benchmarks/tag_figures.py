"""Time the tag rollup's reads against the plain aggregates (SQL via asyncpg, no HTTP).

Heavy user: 100,000 expenses over 5 years, ~30% tagged (tests/benchmarks/dataset.py).
Run: PYTHONPATH=$PWD .venv/bin/python -m tests.benchmarks.tag_figures (about 1 minute;
not part of make bench: the rows "summary, tag" and "analytics, tags (1 year)" are).
"""

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from api.expenses import summary, summary_tags
from api.expenses.filters import ExpenseFilters
from api.rollups import fold
from api.tags import queries, rollup
from tests.benchmarks import dataset
from tests.support import fresh_database, migrate, postgres_server

SIZE = dataset.DatasetSize(users=20, heavy_expenses=100_000, heavy_years=5, other_expenses=500)


async def timed(conn, op, n=40):
    for _ in range(3):
        await op(conn)
    best, total = float("inf"), 0.0
    for _ in range(n):
        t = time.perf_counter()
        await op(conn)
        d = time.perf_counter() - t
        best, total = min(best, d), total + d
    return total / n * 1000, best * 1000


async def main(url):
    conn = await asyncpg.connect(url)
    today = datetime.now(UTC).date()
    data = await dataset.build(conn, SIZE, today)
    await fold(conn)
    await conn.execute("ANALYZE")
    uid = data.heavy_user_id
    tagged = await conn.fetchval(
        "SELECT count(DISTINCT expense_id) FROM expense_tag l JOIN tag t ON t.id = l.tag_id"
        " WHERE t.user_id = $1",
        uid,
    )
    print("tagged:", tagged)
    year_ago = today.replace(year=today.year - 1) + timedelta(days=1)
    mid = today.replace(year=today.year - 2, day=10)
    cases = [
        ("summary, tag", ExpenseFilters(tags=("Trip",))),
        (
            "summary, tag, mid-month..today",
            ExpenseFilters(tags=("Trip",), date_from=mid, date_to=today),
        ),
        ("summary, tag + currency", ExpenseFilters(tags=("Work",), currency="USD")),
        ("summary, unknown tag", ExpenseFilters(tags=("Nope",))),
    ]
    for name, f in cases:
        assert summary_tags.tag_shape(f)
        a = summary.to_summary(await summary.plain(conn, uid, f))
        b = summary.to_summary(await summary_tags.from_tag_rollup(conn, uid, f))
        assert a == b, (a, b)
        p = await timed(conn, lambda c, f=f: summary.plain(c, uid, f))
        r = await timed(conn, lambda c, f=f: summary_tags.from_tag_rollup(c, uid, f))
        print(
            f"{name}: plain {p[0]:.2f} ms (best {p[1]:.2f}),"
            f" rollup {r[0]:.2f} ms (best {r[1]:.2f}), x{p[0] / r[0]:.1f}"
        )
    for name, first, last in (("tags (1 year)", year_ago, today), ("tags (all)", None, None)):
        a = await queries.totals(conn, uid, first, last)
        b = await rollup.totals(conn, uid, first, last)
        assert a == b
        p = await timed(conn, lambda c, a=first, b=last: c.fetch(queries._TOTALS, uid, a, b))
        r = await timed(conn, lambda c, a=first, b=last: rollup.totals(c, uid, a, b))
        u = await timed(conn, lambda c, a=first, b=last: queries.unconverted(c, uid, a, b))
        print(
            f"analytics, {name}: plain {p[0]:.2f} ms, rollup {r[0]:.2f} ms,"
            f" x{p[0] / r[0]:.1f}; unconverted count {u[0]:.2f} ms"
        )
    await conn.close()


if __name__ == "__main__":
    with (
        tempfile.TemporaryDirectory() as work,
        postgres_server(Path(work)) as server,
        fresh_database(server, "tag_figures") as url,
    ):
        migrate(url)
        asyncio.run(main(url))
