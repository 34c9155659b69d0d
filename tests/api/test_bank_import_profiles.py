"""Import profiles, the history of imports, and another user's resources (404)."""

from __future__ import annotations

from tests.api.bank_import_helpers import IMPORTS, commit, preview, send

PROFILES = "/api/v1/import-profiles"


def test_a_saved_profile_reads_the_file_as_its_mapping_says(client, account):
    shown = preview(client, account, "ambiguous_dates.csv")
    mapping = {**shown["mapping"], "date_format": "%m/%d/%Y"}
    created = client.post(
        PROFILES, json={"name": "Corner bank", "mapping": mapping}, headers=account.headers
    )
    assert created.status_code == 201, created.text
    profile = created.json()
    assert created.headers["location"] == f"{PROFILES}/{profile['id']}"
    assert profile["mapping"] == mapping
    read = preview(client, account, "ambiguous_dates.csv", profile_id=profile["id"])
    assert read["ambiguities"] == []
    assert [r["spent_on"] for r in read["rows"]] == ["2025-01-02", "2025-03-04", "2025-11-12"]
    # A mapping sent with the request wins over the profile's.
    other = {**mapping, "date_format": "%d/%m/%Y"}
    read = preview(client, account, "ambiguous_dates.csv", profile_id=profile["id"], mapping=other)
    assert read["rows"][0]["spent_on"] == "2025-02-01"

    url = f"{PROFILES}/{profile['id']}"
    assert client.get(url, headers=account.headers).json() == profile
    renamed = client.patch(url, json={"name": "Corner Bank"}, headers=account.headers)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json() == {**profile, "name": "Corner Bank"}
    listed = client.get(PROFILES, headers=account.headers).json()
    assert listed == {"items": [renamed.json()]}
    assert client.delete(url, headers=account.headers).status_code == 204
    assert client.get(url, headers=account.headers).status_code == 404


def test_an_unusable_profile_mapping_is_422(client, account):
    for mapping in (
        {"encoding": "utf-8", "delimiter": ",", "skip_rows": 0, "columns": {"amount": "A"}},
        {"encoding": "utf-8", "delimiter": ";", "skip_rows": 0, "columns": {"date": "D"}},
        {"delimiter": "#"},
        {"thousands": "x"},
    ):
        response = client.post(
            PROFILES, json={"name": "Bad", "mapping": mapping}, headers=account.headers
        )
        assert response.status_code == 422, (mapping, response.text)


def test_imports_are_listed_newest_first_page_by_page(client, account):
    ids = [
        commit(client, account, name)["import_id"]
        for name in ("card_v2.ofx", "european.qif", "giro.camt053.001.02.xml")
    ]
    first = client.get(IMPORTS, params={"limit": 2}, headers=account.headers).json()
    assert [item["id"] for item in first["items"]] == ids[::-1][:2]
    assert first["items"][0]["format"] == "camt053"
    assert first["items"][0]["account"] == "DE44500105175407324931"
    assert first["items"][0]["created"] == 3
    second = client.get(
        IMPORTS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=account.headers
    ).json()
    assert [item["id"] for item in second["items"]] == ids[:1]
    assert second["next_cursor"] is None
    tampered = first["next_cursor"][:-2] + ("AA" if first["next_cursor"][-2:] != "AA" else "BB")
    bad = client.get(IMPORTS, params={"cursor": tampered}, headers=account.headers)
    assert bad.status_code == 422


def test_another_users_import_profile_and_rule_are_404_everywhere(client, account, other_account):
    theirs = commit(client, other_account, "card_v2.ofx")["import_id"]
    mapping = preview(client, other_account, "us_debit_credit.csv")["mapping"]
    profile = client.post(
        PROFILES, json={"name": "Theirs", "mapping": mapping}, headers=other_account.headers
    ).json()
    rule = client.post(
        "/api/v1/rules",
        json={"name": "Theirs", "when": {"currency": "EUR"}, "then": {"tags_add": ["x"]}},
        headers=other_account.headers,
    ).json()
    mine = account.headers
    for method, url, body in (
        ("GET", f"{IMPORTS}/{theirs}", None),
        ("DELETE", f"{IMPORTS}/{theirs}", None),
        ("GET", f"{PROFILES}/{profile['id']}", None),
        ("PATCH", f"{PROFILES}/{profile['id']}", {"name": "Mine"}),
        ("DELETE", f"{PROFILES}/{profile['id']}", None),
        ("GET", f"/api/v1/rules/{rule['id']}", None),
        ("PATCH", f"/api/v1/rules/{rule['id']}", {"name": "Mine"}),
        ("DELETE", f"/api/v1/rules/{rule['id']}", None),
        ("POST", f"/api/v1/rules/{rule['id']}/apply", None),
        ("GET", f"{IMPORTS}/{2**63}", None),
    ):
        response = client.request(method, url, json=body, headers=mine)
        assert response.status_code == 404, (method, url, response.text)
    assert client.get(IMPORTS, headers=mine).json() == {"items": [], "next_cursor": None}
    assert client.get(PROFILES, headers=mine).json() == {"items": []}
    assert client.get("/api/v1/rules", headers=mine).json() == {"items": []}
    # Naming their profile in a preview is a field that names nothing of yours.
    response = send(client, account, "us_debit_credit.csv", profile_id=profile["id"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "profile_id"
    # Their rule does not run on my import, their import is untouched.
    rows = preview(client, account, "card_v2.ofx")["rows"]
    assert all(r["rule_id"] is None for r in rows)
    assert client.get(f"{IMPORTS}/{theirs}", headers=other_account.headers).status_code == 200
