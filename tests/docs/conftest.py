"""The served OpenAPI document, fetched once from the live test server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="session")
def served_openapi(api_url: str) -> dict:
    response = httpx.get(f"{api_url}/api/schema/openapi.json", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def operations(document: dict) -> Iterator[tuple[str, str, dict]]:
    """(path, method, operation) for every operation of the document."""
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]
