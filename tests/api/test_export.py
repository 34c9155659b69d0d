import csv
import io

from tests.api.helpers import add_expense, category_id

HEADER = [
    "date", "category", "description", "amount", "notes", "currency", "base_amount", "tags",
    "split_group",
]  # fmt: skip


def export(client, account, **params):
    response = client.get("/api/v1/expenses/export.csv", params=params, headers=account.headers)
    assert response.status_code == 200, response.text
    return response


def test_export_is_a_csv_attachment_named_after_the_range(client, account):
    response = export(client, account, **{"from": "2026-01-01", "to": "2026-01-31"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="expenses-2026-01-01-to-2026-01-31.csv"'
    )
    assert list(csv.reader(io.StringIO(response.text))) == [HEADER]


def test_export_quotes_commas_quotes_newlines_and_keeps_unicode(client, account):
    tricky = 'Café, "Zürich"\nsecond line — ✓ 日本'
    add_expense(
        client, account, description=tricky, notes="a,b", amount="3.40", spent_on="2026-05-04"
    )
    rows = list(csv.reader(io.StringIO(export(client, account).content.decode("utf-8"))))
    assert rows == [HEADER, ["2026-05-04", "Food", tricky, "3.40", "a,b", "USD", "3.40", "", ""]]


def test_formula_cells_are_prefixed_with_a_quote(client, account):
    # Leading tabs and carriage returns cannot arrive through the JSON API (it trims
    # text); the CSV import tests cover them.
    for index, text in enumerate(["=SUM(A1)", "+1", "-2", "@cmd", "'quoted", "plain"]):
        add_expense(client, account, description=text, notes=text, spent_on=f"2026-06-0{index + 1}")
    rows = list(csv.reader(io.StringIO(export(client, account).text)))[1:]
    described = {row[0]: (row[2], row[4]) for row in rows}
    assert described["2026-06-01"] == ("'=SUM(A1)", "'=SUM(A1)")
    assert described["2026-06-02"][0] == "'+1"
    assert described["2026-06-03"][0] == "'-2"
    assert described["2026-06-04"][0] == "'@cmd"
    assert described["2026-06-05"][0] == "''quoted"
    assert described["2026-06-06"][0] == "plain"


def test_export_applies_the_list_filters(client, account):
    bills = category_id(client, account, "Bills")
    add_expense(client, account, description="keep", category_id=bills, spent_on="2026-07-02")
    add_expense(client, account, description="other category", spent_on="2026-07-02")
    add_expense(client, account, description="too early", category_id=bills, spent_on="2026-06-30")
    rows = list(
        csv.reader(
            io.StringIO(export(client, account, category_id=bills, **{"from": "2026-07-01"}).text)
        )
    )
    assert [row[2] for row in rows[1:]] == ["keep"]


def test_export_of_many_rows_is_complete_and_ordered(client, account):
    csv_body = "date,category,description,amount,notes\n" + "".join(
        f"2026-0{1 + i % 9}-1{i % 10},Food,item {i},{i + 1}.00,\n" for i in range(3000)
    )
    imported = client.post(
        "/api/v1/expenses/import",
        content=csv_body.encode(),
        headers={**account.headers, "Content-Type": "text/csv"},
    )
    assert imported.json()["created"] == 3000
    rows = list(csv.reader(io.StringIO(export(client, account).text)))[1:]
    assert len(rows) == 3000
    assert sorted(row[2] for row in rows) == sorted(f"item {i}" for i in range(3000))
    assert [row[0] for row in rows] == sorted((row[0] for row in rows), reverse=True)
