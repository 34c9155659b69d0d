"""docs/architecture.md describes the schema there is: every table and trigger."""

from __future__ import annotations

import re

from tests.docs.conftest import REPO

PAGE = REPO / "docs" / "architecture.md"


def test_every_table_is_described():
    from api.piccolo_app import APP_CONFIG

    text = PAGE.read_text(encoding="utf-8")
    tables = [table._meta.tablename for table in APP_CONFIG.table_classes]
    assert tables
    missing = [name for name in tables if f"| `{name}` |" not in text]
    assert missing == [], "add these tables to the database section"


def test_every_trigger_of_the_migrations_is_named():
    sql = "".join(path.read_text(encoding="utf-8") for path in (REPO / "migrations").glob("m*.py"))
    triggers = set(re.findall(r"CREATE TRIGGER (\w+)", sql))
    assert triggers
    text = PAGE.read_text(encoding="utf-8")
    missing = [trigger for trigger in triggers if f"`{trigger}`" not in text]
    assert missing == []
