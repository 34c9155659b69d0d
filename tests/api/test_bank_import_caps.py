"""The import caps apply to every statement format, on a server with small caps."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import httpx
import pytest

from tests.api.bank_import_helpers import FILES, IMPORTS, PREVIEW, send, stored
from tests.support import Account, ApiServer, register_and_login

MAX_ROWS = 2
MAX_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def small_caps(database_url, tmp_path_factory) -> Iterator[str]:
    server = ApiServer(
        database_url,
        tmp_path_factory.mktemp("caps") / "server.log",
        extra_env={"MAX_IMPORT_ROWS": str(MAX_ROWS), "MAX_IMPORT_BYTES": str(MAX_BYTES)},
    ).start()
    yield server.url
    server.stop()


@pytest.fixture
def capped(small_caps) -> Iterator[tuple[httpx.Client, Account]]:
    with httpx.Client(base_url=small_caps, timeout=30) as http:
        yield http, register_and_login(http)


@pytest.mark.parametrize(
    "name",
    [
        "checking_sgml.ofx",
        "card_v2.ofx",
        "european.qif",
        "giro.camt053.001.02.xml",
        "savings.camt053.001.08.xml",
        "german_giro.csv",
        "us_debit_credit.csv",
    ],
)
def test_more_rows_than_the_cap_is_422_in_every_format(capped, database_url, name):
    client, user = capped
    for route in (PREVIEW, IMPORTS):
        response = send(client, user, name, route)
        assert response.status_code == 422, response.text
        assert f"more than {MAX_ROWS} transactions" in response.json()["detail"]
    assert stored(database_url, user) == []


def test_more_bytes_than_the_cap_is_413(capped):
    client, user = capped
    padded = (FILES / "card_v2.ofx").read_bytes() + b"\n" * MAX_BYTES
    assert send(client, user, padded).status_code == 413


def test_a_zip_that_expands_past_the_cap_is_422_quoting_nothing(capped):
    client, user = capped
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("statement.csv", b"0" * (MAX_BYTES * 50))
    bomb = buffer.getvalue()
    assert len(bomb) < MAX_BYTES
    response = send(client, user, bomb)
    assert response.status_code == 422, response.text
    assert "000" not in response.json()["detail"]
