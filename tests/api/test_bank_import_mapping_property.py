"""Property: any mapping the preview reports, sent back, previews the same rows."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.api.bank_import_helpers import preview, send

DATE_FORMS = ("%Y-%m-%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%Y")
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzÄÖÜäöüß ", min_size=1, max_size=20).map(
    lambda text: text.strip() or "x"
)
cents = st.integers(min_value=-500_000, max_value=500_000)


@st.composite
def bank_csvs(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    decimal_comma = draw(st.booleans()) and delimiter != ","
    form = draw(st.sampled_from(DATE_FORMS))
    rows = draw(
        st.lists(
            st.tuples(st.dates(date(2000, 1, 1), date(2030, 12, 31)), words, cents),
            min_size=1,
            max_size=12,
        )
    )
    lines = [delimiter.join(["Datum", "Text", "Betrag"])]
    for day, text, amount in rows:
        value = f"{amount / 100:.2f}"
        lines.append(
            delimiter.join(
                [day.strftime(form), text, value.replace(".", ",") if decimal_comma else value]
            )
        )
    encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(statement=bank_csvs(), include_credits=st.booleans())
def test_the_reported_mapping_fed_back_previews_the_same_rows(
    client, account, statement, include_credits
):
    response = send(client, account, statement, include_credits=include_credits)
    # A file the detector cannot read at all (422) reports no mapping to feed back.
    assume(response.status_code == 200)
    first = response.json()
    assert first["format"] == "csv"
    again = preview(
        client, account, statement, mapping=first["mapping"], include_credits=include_credits
    )
    assert again["rows"] == first["rows"]
    assert again["mapping"] == first["mapping"]
    assert again["ambiguities"] == first["ambiguities"]
    assert again["counts"] == first["counts"]
