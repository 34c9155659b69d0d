"""The served OpenAPI document, fuzzed by schemathesis: nothing to report.

A bounded run (``FUZZ_SECONDS``) with the checks API.md names: no 5xx, every status
and content type documented, every response matching its schema. A finding fails
the suite; schemathesis prints how to reproduce it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support import ApiServer, register_and_login

FUZZ_SECONDS = 60
CHECKS = (
    "not_a_server_error,status_code_conformance,"
    "content_type_conformance,response_schema_conformance"
)
# They would end the fuzzer's own session (every later call a 401): covered by
# tests/api/test_sessions.py and test_auth_account.py instead.
SESSION_ENDING = ("deleteAccount", "logoutAll")


def test_schemathesis_finds_nothing(database_url, tmp_path):
    server = ApiServer(database_url, tmp_path / "server.log").start()
    try:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            account = register_and_login(http)
        st = Path(sys.executable).with_name("st")
        result = subprocess.run(
            [
                str(st),
                "run",
                f"{server.url}/api/schema/openapi.json",
                "--checks",
                CHECKS,
                "--max-time",
                str(FUZZ_SECONDS),
                "--max-examples",
                "40",
                "--seed",
                "20261127",
                "--request-timeout",
                "20",
                *(arg for op in SESSION_ENDING for arg in ("--exclude-operation-id", op)),
                "-H",
                f"Authorization: Bearer {account.access_token}",
                "--report-dir",
                str(tmp_path / "report"),
            ],
            cwd=tmp_path,
            env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
            capture_output=True,
            text=True,
            timeout=FUZZ_SECONDS * 5,
            check=False,
        )
    finally:
        server.stop()
    output = result.stdout + result.stderr
    cases = re.findall(r"(\d+) generated", output)
    print(f"\nschemathesis: {cases[-1] if cases else '?'} cases\n" + output[-2500:])
    assert result.returncode == 0, output[-6000:]
