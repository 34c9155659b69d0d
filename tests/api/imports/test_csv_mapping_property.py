"""Property: whatever mapping the detection reports, fed back, reads the same rows.

Files are generated the way banks write them: any delimiter, date format, decimal
mark and grouping, encoding and line end, with or without a header, lines before
it and a total after the data. Where the file settles everything, the rows are
also the amounts and dates that were written.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from api.imports.formats import ReadOptions, UnreadableFile, read_statement
from api.imports.formats.dates import DATE_FORMATS

DELIMITERS = [",", ";", "\t", "|"]
WORDS = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÄÖÜßéè ,;\"'&-"), min_size=3, max_size=30
).filter(lambda s: s.strip() and any(c.isalpha() for c in s))


def _format_date(day: date, fmt: str) -> str:
    return (
        fmt.replace("%Y", f"{day.year:04d}")
        .replace("%y", f"{day.year % 100:02d}")
        .replace("%m", f"{day.month:02d}")
        .replace("%d", f"{day.day:02d}")
    )


def _format_amount(value: Decimal, decimal: str, thousands: str) -> str:
    whole, cents = f"{abs(value):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = thousands.join([whole, *groups]) + decimal + cents
    return ("-" if value < 0 else "") + text


@st.composite
def bank_files(draw: st.DrawFn) -> tuple[bytes, list[tuple[date, Decimal]]]:
    delimiter = draw(st.sampled_from(DELIMITERS))
    fmt = draw(st.sampled_from(DATE_FORMATS))
    decimal = draw(st.sampled_from([".", ","]))
    thousands = draw(st.sampled_from(["", "," if decimal == "." else ".", " "]))
    amounts = st.decimals(
        min_value=Decimal("-99999.99"), max_value=Decimal("99999.99"), places=2
    ).filter(lambda v: v != 0)
    rows = draw(
        st.lists(
            st.tuples(
                st.dates(min_value=date(1971, 1, 1), max_value=date(2060, 12, 31)),
                WORDS,
                amounts,
            ),
            min_size=1,
            max_size=12,
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    for _ in range(draw(st.integers(0, 3))):
        writer.writerow(["Account statement", draw(WORDS)])
    if draw(st.booleans()):
        writer.writerow(["Date", "Description", "Amount"])
    for day, text, value in rows:
        writer.writerow([_format_date(day, fmt), text, _format_amount(value, decimal, thousands)])
    if draw(st.booleans()):
        total = sum(v for _, _, v in rows)
        writer.writerow(["", "Total", _format_amount(total, decimal, thousands)])
    text = out.getvalue().replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding), [(day, value) for day, _, value in rows]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bank_files())
# Found by this test: charset-normalizer answered Johab, which read `\xdc;` as one
# character and so ate the second row's delimiter.
@example(
    (b'2000-01-01;";;a";0.01\n2000-01-01;aa\xdc;0.01\n', [(date(2000, 1, 1), Decimal("0.01"))] * 2)
)
def test_detected_mapping_fed_back_reads_the_same_rows(
    generated: tuple[bytes, list[tuple[date, Decimal]]],
) -> None:
    data, written = generated
    try:
        detected = read_statement(data)
    except UnreadableFile:
        return  # a refusal is an answer too; what is read must be stable
    again = read_statement(data, ReadOptions(mapping=detected.mapping))
    assert again.as_dict() == detected.as_dict()
    if not detected.ambiguities:
        assert [(r.spent_on, r.amount) for r in detected.rows] == written
