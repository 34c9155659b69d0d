"""``expense-api prune`` deletes dead rows only, and running it twice changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from tests.support import REPO_ROOT, register_and_login, run_sql


def prune(database_url: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "prune"],
        cwd=REPO_ROOT,
        env={**os.environ, "APP_ENV": "test", "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_prune_removes_what_is_dead_and_keeps_what_is_live(client, database_url):
    live = register_and_login(client)
    dead = register_and_login(client)
    user = dead.profile["id"]
    # Age the dead account's session, throttle counter and idempotency record.
    run_sql(
        database_url,
        "UPDATE refresh_token SET expires_at = now() - interval '1 second' WHERE user_id = $1",
        user,
    )
    run_sql(
        database_url,
        "UPDATE login SET created_at = now() - interval '2 days' WHERE user_id = $1",
        user,
    )
    run_sql(
        database_url,
        "INSERT INTO login_failure (subject, failures, window_started_at) "
        "VALUES ($1, 3, now() - interval '2 days'), ($2, 3, now())",
        f"prune-old-{user}",
        f"prune-new-{user}",
    )
    category = client.get("/api/v1/categories", headers=live.headers).json()["items"][0]["id"]
    body = {"amount": "1.00", "spent_on": "2026-01-01", "category_id": category}
    for key in ("old-key", "new-key"):
        created = client.post(
            "/api/v1/expenses", json=body, headers={**live.headers, "Idempotency-Key": key}
        )
        assert created.status_code == 201
    run_sql(
        database_url,
        "UPDATE idempotency_record SET created_at = now() - interval '25 hours' "
        "WHERE user_id = $1 AND key = 'old-key'",
        live.profile["id"],
    )

    first = prune(database_url)
    assert "expense-api: pruned" in first

    def count(sql: str, *args: object) -> int:
        return run_sql(database_url, sql, *args)[0][0]

    assert count("SELECT count(*) FROM refresh_token WHERE user_id = $1", user) == 0
    assert count("SELECT count(*) FROM login WHERE user_id = $1", user) == 0
    assert count("SELECT count(*) FROM refresh_token WHERE user_id = $1", live.profile["id"]) == 1
    subjects = {r[0] for r in run_sql(database_url, "SELECT subject FROM login_failure")}
    assert f"prune-old-{user}" not in subjects
    assert f"prune-new-{user}" in subjects
    keys = {
        r[0]
        for r in run_sql(
            database_url,
            "SELECT key FROM idempotency_record WHERE user_id = $1",
            live.profile["id"],
        )
    }
    assert keys == {"new-key"}
    with httpx.Client(base_url=str(client.base_url)) as http:
        assert http.get("/api/v1/me", headers=live.headers).status_code == 200
    second = prune(database_url)
    assert "0 refresh_tokens, 0 logins, 0 login_failures, 0 idempotency_records" in second
