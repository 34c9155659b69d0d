"""Bank files through the API: each format previewed, imported, re-imported, undone."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from api.expenses.import_sql import LOCK_SQL
from tests.api.bank_import_helpers import FILES, IMPORTS, commit, preview, send, stored

# file, fields, format, the new rows' (date, amount, description), skipped count.
STATEMENTS = [
    (
        "checking_sgml.ofx",
        {},
        "ofx",
        [
            ("2025-02-03", "23.45", "WHOLE FOODS MKT #123"),
            # TRNTYPE says CREDIT, the negative TRNAMT says money left: a debit.
            ("2025-02-05", "9.99", "NETFLIX.COM"),
            ("2025-02-25", "1200.00", "Rent March"),
        ],
        2,  # the payroll credit and the zero-amount card check
    ),
    (
        "card_v2.ofx",
        {},
        "ofx",
        [("2025-03-04", "42.10", "Boulangerie Poilâne"), ("2025-03-11", "15.00", "SPOTIFY AB")],
        1,
    ),
    (
        "european.qif",
        {},
        "qif",
        [
            ("2024-12-25", "1234.50", "Weihnachtsmarkt Dresden"),
            ("2024-12-27", "45.90", "Apotheke am Markt"),
            ("2025-01-03", "12.00", "Bäckerei Müller"),
        ],
        1,
    ),
    (
        "giro.camt053.001.02.xml",
        {},
        "camt053",
        [
            ("2025-02-03", "27.80", "EDEKA Südstadt"),
            # One batched entry, one row per transaction in it.
            ("2025-02-10", "880.00", "Wohnbau eG"),
            ("2025-02-10", "70.00", "Stadtwerke"),
        ],
        2,  # the salary credit and the pending (PDNG) entry
    ),
    (
        "savings.camt053.001.08.xml",
        {},
        "camt053",
        [
            ("2025-03-05", "35.00", "Albert Heijn 1234"),
            ("2025-03-12", "8.40", "NS Reizigers Utrecht"),
        ],
        1,
    ),
    (
        "german_giro.csv",
        {},
        "csv",
        [
            ("2025-03-03", "7.85", "Müller Bäckerei GmbH"),
            ("2025-03-14", "1234.56", "Hausverwaltung Groß"),
            ("2025-03-28", "89.00", "Straßenbahn Köln"),
        ],
        1,
    ),
    (
        "us_debit_credit.csv",
        {},
        "csv",
        [
            ("2025-04-02", "5.75", "Starbucks, Seattle"),
            ("2025-04-21", "1045.30", "Electric Company"),
            ("2025-04-30", "39.99", "Gym membership"),
        ],
        1,  # the payroll credit; the "Total" line is no row at all
    ),
]


def _new(rows: list[dict]) -> list[tuple[str, str, str]]:
    return [(r["spent_on"], r["amount"], r["description"]) for r in rows if r["status"] == "new"]


@pytest.mark.parametrize(
    ("name", "fields", "fmt", "expected", "skipped"), STATEMENTS, ids=[s[0] for s in STATEMENTS]
)
def test_statement_is_previewed_imported_reimported_and_undone(
    client, account, database_url, name, fields, fmt, expected, skipped
):
    shown = preview(client, account, name, **fields)
    assert shown["format"] == fmt
    assert shown["ambiguities"] == []
    assert _new(shown["rows"]) == expected
    assert shown["counts"] == {"new": len(expected), "duplicate": 0, "error": 0, "skipped": skipped}
    assert stored(database_url, account) == []  # a preview writes nothing

    first = commit(client, account, name, **fields)
    assert first["created"] == len(expected)
    assert (first["duplicates"], first["skipped"]) == (0, skipped)
    rows = stored(database_url, account)
    assert [(r["spent_on"], r["amount"], r["description"]) for r in rows] == expected
    assert {r["import_id"] for r in rows} == {first["import_id"]}
    assert {r["account"] for r in rows} == {shown["account"] or ""}

    again = commit(client, account, name, **fields)
    assert (again["created"], again["duplicates"]) == (0, len(expected))
    assert len(stored(database_url, account)) == len(expected)
    assert preview(client, account, name, **fields)["counts"]["duplicate"] == len(expected)

    record = client.get(f"{IMPORTS}/{first['import_id']}", headers=account.headers)
    assert record.status_code == 200, record.text
    assert record.json()["format"] == fmt
    assert record.json()["created"] == len(expected)
    undone = client.delete(f"{IMPORTS}/{first['import_id']}", headers=account.headers)
    assert undone.status_code == 204, undone.text
    assert all(r["trashed"] for r in stored(database_url, account))
    live = client.get("/api/v1/expenses", headers=account.headers).json()["items"]
    assert live == []
    gone = client.get(f"{IMPORTS}/{first['import_id']}", headers=account.headers)
    assert gone.status_code == 404
    # An undone import can be imported again; an expense deleted on its own stays
    # deleted: with a bank id, the next statement listing it finds it a duplicate.
    redone = commit(client, account, name, **fields)
    assert redone["created"] == len(expected)
    mine = client.get("/api/v1/expenses", headers=account.headers).json()["items"]
    client.delete(f"/api/v1/expenses/{mine[0]['id']}", headers=account.headers)
    keyed = any(r["external_id"] for r in stored(database_url, account))
    after = commit(client, account, name, **fields)
    assert after["created"] == (0 if keyed else 1)


def test_ofx_rows_carry_account_currency_and_fitid(client, account, database_url):
    shown = preview(client, account, "checking_sgml.ofx")
    assert shown["account"] == "9876543210"
    assert shown["statement"] == {
        "account_id": "9876543210",
        "from": "2025-02-01",
        "to": "2025-02-28",
        "closing_balance": "1266.56",
        "currency": "USD",
    }
    created = commit(client, account, "checking_sgml.ofx", account="Checking 3210")
    listed = client.get("/api/v1/expenses", headers=account.headers).json()["items"]
    assert {(e["import_id"], e["account"], e["external_id"]) for e in listed} == {
        (created["import_id"], "Checking 3210", fitid)
        for fitid in ("202502030001", "202502050002", "202502250005")
    }
    rows = stored(database_url, account)
    assert [(r["account"], r["external_id"], r["currency"]) for r in rows] == [
        ("Checking 3210", "202502030001", "USD"),
        ("Checking 3210", "202502050002", "USD"),
        ("Checking 3210", "202502250005", "USD"),
    ]
    # The money trigger converted them: the account's base currency is USD too.
    assert [r["base_amount"] for r in rows] == ["23.45", "9.99", "1200.00"]


def test_credits_become_refunds_when_asked(client, account, database_url):
    shown = preview(client, account, "card_v2.ofx", include_credits=True)
    assert [(r["amount"], r["status"]) for r in shown["rows"]] == [
        ("42.10", "new"),
        ("15.00", "new"),
        ("-12.50", "new"),
    ]
    assert commit(client, account, "card_v2.ofx", include_credits=True)["created"] == 3
    assert [r["amount"] for r in stored(database_url, account)] == ["42.10", "15.00", "-12.50"]


def test_rows_without_a_currency_are_in_the_base_currency(client, account, database_url):
    # The account registered with the default base currency; QIF names none.
    assert {r["currency"] for r in preview(client, account, "european.qif")["rows"]} == {
        account.profile["currency"]
    }


def test_file_category_is_used_and_others_go_to_other(client, account, database_url):
    rows = preview(client, account, "european.qif")["rows"]
    assert [r["category"] for r in rows if r["status"] == "new"] == ["Other", "Other", "Food"]


def test_an_ambiguous_csv_is_refused_until_the_mapping_settles_it(client, account, database_url):
    shown = preview(client, account, "ambiguous_dates.csv")
    assert shown["ambiguities"] == [{"field": "date_format", "options": ["%d/%m/%Y", "%m/%d/%Y"]}]
    assert shown["counts"]["error"] == 3
    refused = send(client, account, "ambiguous_dates.csv", IMPORTS)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["ambiguities"] == shown["ambiguities"]
    assert stored(database_url, account) == []

    mapping = {**shown["mapping"], "date_format": "%d/%m/%Y"}
    settled = preview(client, account, "ambiguous_dates.csv", mapping=mapping)
    assert settled["ambiguities"] == []
    assert [r["spent_on"] for r in settled["rows"]] == ["2025-02-01", "2025-04-03", "2025-12-11"]
    created = commit(client, account, "ambiguous_dates.csv", mapping=mapping)
    assert created["created"] == 3
    again = commit(client, account, "ambiguous_dates.csv", mapping=mapping)
    assert (again["created"], again["duplicates"]) == (0, 3)
    undone = client.delete(f"{IMPORTS}/{created['import_id']}", headers=account.headers)
    assert undone.status_code == 204
    assert all(r["trashed"] for r in stored(database_url, account))


def test_a_qif_ambiguity_is_settled_by_the_mapping_date_format(client, account):
    text = b"!Type:Bank\nD01/02/2025\nT-5.00\nPShop\n^\nD03/04/2025\nT-6.00\nPCafe\n^\n"
    shown = preview(client, account, text)
    assert shown["ambiguities"] == [{"field": "date_format", "options": ["DMY", "MDY"]}]
    settled = preview(client, account, text, mapping={"date_format": "MDY"})
    assert [r["spent_on"] for r in settled["rows"]] == ["2025-01-02", "2025-03-04"]


def test_an_invalid_row_refuses_the_whole_file(client, account, database_url):
    broken = (FILES / "checking_sgml.ofx").read_bytes().replace(b"-1200.00", b"-1,200.00")
    shown = preview(client, account, broken)
    assert [r["line"] for r in shown["rows"] if r["status"] == "error"] == [56]
    refused = send(client, account, broken, IMPORTS)
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert [(r["line"], r["status"]) for r in body["rows"]] == [(56, "error")]
    assert "nothing was imported" in body["detail"]
    assert stored(database_url, account) == []


@pytest.mark.parametrize("name", ["xxe.camt053.xml", "billion_laughs.camt053.xml"])
def test_hostile_xml_is_refused_without_echoing_it(client, account, database_url, name):
    for route in ("/api/v1/imports/preview", IMPORTS):
        response = send(client, account, name, route)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        for echoed in ("passwd", "lol", "ENTITY", "secret", "DOCTYPE"):
            assert echoed not in response.text
    assert stored(database_url, account) == []


def test_a_file_over_the_byte_cap_is_413(client, account):
    response = send(client, account, b"x" * (5 * 1024 * 1024 + 1))
    assert response.status_code == 413, response.text


def test_malformed_fields_are_422_naming_them(client, account):
    for fields, field in (
        ({"mapping": "{not json"}, "mapping"),
        ({"mapping": {"delimiter": "x"}}, "mapping"),
        ({"include_credits": "yes"}, "include_credits"),
        ({"profile_id": "0"}, "profile_id"),
        ({"profile_id": str(2**63)}, "profile_id"),
        ({"account": "x" * 101}, "account"),
        ({"account": "a\x00b"}, "account"),
    ):
        if field == "mapping" and isinstance(fields["mapping"], str):
            response = client.post(
                "/api/v1/imports/preview",
                files={"file": ("s", (FILES / "card_v2.ofx").read_bytes())},
                data=fields,
                headers=account.headers,
            )
        else:
            response = send(client, account, "card_v2.ofx", **fields)
        assert response.status_code == 422, (fields, response.text)
        assert response.json()["errors"][0]["field"] == field
    missing = client.post(
        "/api/v1/imports/preview", data={"account": "x"}, files={}, headers=account.headers
    )
    assert missing.status_code in (415, 422), missing.text


def test_a_second_import_while_one_runs_is_409(client, account, database_url):
    async def held() -> int:
        conn = await asyncpg.connect(database_url)
        try:
            async with conn.transaction():
                # The lock a running import holds (api/expenses/import_sql.py).
                await conn.fetchval(LOCK_SQL.replace("_try", ""), account.profile["id"])
                response = await asyncio.to_thread(send, client, account, "card_v2.ofx", IMPORTS)
                return response.status_code
        finally:
            await conn.close()

    assert asyncio.run(held()) == 409
    assert stored(database_url, account) == []


def test_nul_characters_in_a_file_never_reach_the_database(client, account, database_url):
    text = (FILES / "card_v2.ofx").read_bytes()
    hostile = text.replace(b"SPOTIFY AB", b"SPOTIFY\x00AB").replace(b"V-0301", b"V-03\x0001")
    shown = preview(client, account, hostile)
    by_line = {r["line"]: r for r in shown["rows"]}
    assert by_line[28]["description"] == "SPOTIFYAB"
    assert by_line[21]["status"] == "error"
    refused = send(client, account, hostile, IMPORTS)
    assert refused.status_code == 422, refused.text
    assert stored(database_url, account) == []
