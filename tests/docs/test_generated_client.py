"""A client generated from the served document works: register → login → create → list.

This is an API consumer's first hour: point ``openapi-python-client`` at
``/api/schema/openapi.json`` and call the operations by their operationIds. The test
keeps the document generator-friendly (names, schemas, security) as it grows.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.support import PASSWORD, unique_email

PACKAGE = "expense_tracker_api_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


@pytest.fixture(scope="module")
def generated(served_openapi, tmp_path_factory) -> Iterator[ModuleType]:
    """The generated package, importable for this module only."""
    folder = tmp_path_factory.mktemp("generated")
    document = folder / "openapi.json"
    document.write_text(json.dumps(served_openapi))
    # The generator formats its output with ruff, found on PATH.
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [GENERATOR, "generate", "--path", document, "--meta", "none",
         "--output-path", folder / PACKAGE],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_operations_are_modules_named_after_their_operation_ids(generated):
    names = ("auth.register", "auth.login", "expenses.create_expense", "expenses.list_expenses",
             "expenses.get_summary", "analytics.get_monthly_totals")  # fmt: skip
    for name in names:
        assert hasattr(_module(f"api.{name}"), "sync_detailed"), name


def test_register_login_create_list_with_the_generated_client(generated, api_url):
    models = _module("models")
    register = _module("api.auth.register")
    login = _module("api.auth.login")
    list_categories = _module("api.categories.list_categories")
    create_expense = _module("api.expenses.create_expense")
    list_expenses = _module("api.expenses.list_expenses")

    public = generated.Client(base_url=api_url, raise_on_unexpected_status=True)
    email = unique_email("generated")
    created = register.sync_detailed(
        client=public, body=models.RegisterRequest(email=email, password=PASSWORD)
    )
    assert created.status_code == 201, created.content
    tokens = login.sync(client=public, body=models.LoginRequest(email=email, password=PASSWORD))
    assert isinstance(tokens, models.TokenPair), tokens

    client = generated.AuthenticatedClient(
        base_url=api_url, token=tokens.access_token, raise_on_unexpected_status=True
    )
    food = next(c for c in list_categories.sync(client=client).items if c.name == "Food")
    body = models.ExpenseCreate(
        amount="12.50", category_id=food.id, spent_on=datetime.date(2026, 3, 1),
        description="Lunch from the generated client",
    )  # fmt: skip
    expense = create_expense.sync(client=client, body=body)
    assert isinstance(expense, models.Expense), expense
    assert (expense.amount, expense.category) == ("12.50", "Food")

    page = list_expenses.sync(client=client, limit=10)
    assert isinstance(page, models.ExpensePage), page
    assert [item.id for item in page.items] == [expense.id]
    assert page.items[0].description == "Lunch from the generated client"
