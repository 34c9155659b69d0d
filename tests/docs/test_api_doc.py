"""docs/api.md tells the truth: its routes and statuses are served, its examples run.

Conventions of the page, relied on here:

- a route is named as ``METHOD /path`` in backticks; ``{id}`` stands for any parameter;
- a table row that names one route lists the statuses it answers in backticks (`404`);
  the statuses of the Errors table must each be answered by some operation;
- every ``sh`` block is an example: all of them run in order, as one bash script with
  ``set -euo pipefail``, against the live test server (``API``, ``EMAIL`` given). A
  block's variables (``ACCESS=$(curl … | jq …)``) are there for the blocks after it.
- the "Limits" section describes rules being rolled out; its routes need not be served
  yet and its statuses are not tied to one operation.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import httpx
import pytest

from tests.docs.conftest import REPO, operations
from tests.docs.test_operation_ids import PINNED
from tests.support import unique_email

DOC = REPO / "docs" / "api.md"
ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)[^`]*`")
STATUS = re.compile(r"`([1-5]\d\d)`")
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.MULTILINE | re.DOTALL)
# Served outside the OpenAPI document: probes and the document itself.
UNDOCUMENTED = {("get", "/health"), ("get", "/ready"), ("get", "/api/schema/openapi.json")}
# Rolled out with the second release (the Limits section); served or not yet.
PENDING: set[tuple[str, str]] = set()


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def _served(document: dict) -> dict[tuple[str, str], set[str]]:
    return {
        (method, _shape(path)): set(operation["responses"])
        for path, method, operation in operations(document)
    }


def test_every_route_the_page_names_is_served(served_openapi):
    served = _served(served_openapi)
    for title, body in _sections().items():
        for method, path in ROUTE.findall(body):
            key = (method.lower(), _shape(path))
            if key in UNDOCUMENTED or (title == "Limits" and key in PENDING):
                continue
            assert key in served, f"{title}: {method} {path} is not in the served document"


def test_every_status_a_table_row_names_is_documented_for_its_route(served_openapi):
    served = _served(served_openapi)
    rows = 0
    for title, body in _sections().items():
        for line in body.splitlines():
            routes = ROUTE.findall(line)
            if not line.startswith("|") or len(routes) != 1:
                continue
            method, path = routes[0]
            documented = served[(method.lower(), _shape(path))]
            for status in STATUS.findall(line):
                assert status in documented, f"{title}: {method} {path} does not answer {status}"
            rows += 1
    assert rows >= len(PINNED) - 1  # every operation but /metrics has its row


def test_every_status_of_the_errors_table_is_answered_somewhere(served_openapi):
    answered = set().union(*_served(served_openapi).values())
    listed = re.findall(r"^\| ([1-5]\d\d) \|", _sections()["Errors"], flags=re.MULTILINE)
    assert len(listed) >= 10
    assert set(listed) <= answered


def test_every_first_release_operation_is_in_the_page():
    named = {(m.lower(), _shape(p)) for m, p in ROUTE.findall(DOC.read_text(encoding="utf-8"))}
    missing = [key for key in PINNED if (key[0], _shape(key[1])) not in named]
    assert missing == []


def test_the_probes_outside_the_document_answer(api_url):
    for method, path in UNDOCUMENTED:
        response = httpx.request(method, f"{api_url}{path}", timeout=30)
        assert response.status_code == 200, (path, response.text)


def test_the_examples_run_in_order_against_a_live_server(api_url, tmp_path):
    for tool in ("curl", "jq"):
        assert shutil.which(tool), f"the examples need {tool}"
    blocks = SH_BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 10, "the page lost its examples"
    # A marker after each block shows how far the script got when one fails.
    script = "set -euo pipefail\n" + "".join(
        f"{block}echo '<<block {number} ok>>'\n" for number, block in enumerate(blocks, 1)
    )
    env = {**os.environ, "API": api_url, "EMAIL": unique_email("api-doc")}
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"<<block {len(blocks)} ok>>" in result.stdout, output


@pytest.mark.parametrize("section", ["Authentication", "Expenses", "Errors", "Limits"])
def test_the_page_has_its_sections(section):
    assert section in _sections()
