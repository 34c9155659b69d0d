"""Bank files through the API: preview and import of an OFX and a CSV statement.

Issue 14's goal is under 1 s for each of a 10,000-row OFX and CSV on this machine.
The files are the parse benchmark's (``bank_files``); every row is a debit except
the few zero amounts, which the import skips.
"""

from __future__ import annotations

import time

import httpx

from tests.benchmarks.bank_files import csv_file, ofx_file
from tests.benchmarks.report import Row
from tests.support import PASSWORD, ApiServer, unique_email

GOAL_SECONDS = 1.0


def _timed(client: httpx.Client, path: str, data: bytes) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = client.post(path, files={"file": ("statement", data, "application/octet-stream")})
    return time.perf_counter() - started, response


def _row(name: str, seconds: float, broken: str) -> Row:
    met = not broken and seconds < GOAL_SECONDS
    return Row(name, f"{seconds:.2f} s", "—", "—", "—", None, f"< {GOAL_SECONDS:g} s", met, broken)


def bank_import_rows(api: ApiServer, count: int) -> list[Row]:
    email = unique_email("bench-bank")
    rows = []
    with httpx.Client(base_url=api.url, timeout=120) as client:
        client.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
        login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        login.raise_for_status()
        client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        for kind, data in (("OFX", ofx_file(count)), ("CSV", csv_file(count))):
            seconds, preview = _timed(client, "/api/v1/imports/preview", data)
            counts = preview.json().get("counts", {}) if preview.status_code == 200 else {}
            fresh = counts.get("new", 0)
            broken = (
                ""
                if preview.status_code == 200
                and counts.get("error") == 0
                and fresh + counts.get("skipped", 0) == count
                else f"answered {preview.status_code}: {preview.text[:200]}"
            )
            rows.append(_row(f"bank file preview, {kind} {count:,} rows", seconds, broken))
            seconds, created = _timed(client, "/api/v1/imports", data)
            ok = created.status_code == 201 and created.json().get("created") == fresh
            broken = "" if ok else f"answered {created.status_code}: {created.text[:200]}"
            rows.append(_row(f"bank file import, {kind} {count:,} rows", seconds, broken))
    return rows
