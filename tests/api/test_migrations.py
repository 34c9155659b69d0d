"""`expense-api migrate`: builds the schema on an empty database, once, safely in parallel."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys

import pytest

from tests.support import REPO_ROOT, fresh_database, run_sql

# Piccolo column types, as PostgreSQL's format_type() spells them.
PG_TYPES = {
    "BIGSERIAL": "bigint",
    "SERIAL": "integer",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "TEXT": "text",
    "TIMESTAMPTZ": "timestamp with time zone",
    "DATE": "date",
    "UUID": "uuid",
    "BYTEA": "bytea",
    "BOOLEAN": "boolean",
    "JSONB": "jsonb",
    "NUMERIC": "numeric",
}


def pg_type(piccolo_type: str) -> str:
    if piccolo_type.endswith("[]"):
        return pg_type(piccolo_type[:-2]) + "[]"
    if match := re.fullmatch(r"VARCHAR\((\d+)\)", piccolo_type):
        return f"character varying({match[1]})"
    if match := re.fullmatch(r"NUMERIC\((\d+), ?(\d+)\)", piccolo_type):
        return f"numeric({match[1]},{match[2]})"
    return PG_TYPES[piccolo_type]


def migrate_process(url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "migrate"],
        cwd=REPO_ROOT,
        env={**os.environ, "APP_ENV": "test", "DATABASE_URL": url, "LOG_LEVEL": "WARNING"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def applied_count(output: str) -> int:
    match = re.search(r"applied (\d+) migration", output)
    assert match, output
    return int(match[1])


@pytest.fixture(scope="module")
def migrated_twice_at_once(postgres_url):
    """An empty database that two `expense-api migrate` processes raced to build."""
    with fresh_database(postgres_url, prefix="expense_migrate") as url:
        first, second = migrate_process(url), migrate_process(url)
        outputs = [process.communicate(timeout=120)[0] for process in (first, second)]
        yield url, [first.returncode, second.returncode], outputs


def test_two_concurrent_migrations_on_an_empty_database_both_succeed(migrated_twice_at_once):
    url, codes, outputs = migrated_twice_at_once
    assert codes == [0, 0], outputs
    counts = sorted(applied_count(output) for output in outputs)
    # The advisory lock makes one apply everything and the other find nothing to do.
    assert counts[0] == 0
    assert counts[1] == len(run_sql(url, "SELECT name FROM migration")) >= 2


def test_a_second_run_is_a_no_op(migrated_twice_at_once):
    url, _, _ = migrated_twice_at_once
    before = run_sql(url, "SELECT name, ran_on FROM migration ORDER BY id")
    process = migrate_process(url)
    output = process.communicate(timeout=60)[0]
    assert process.returncode == 0, output
    assert applied_count(output) == 0
    assert run_sql(url, "SELECT name, ran_on FROM migration ORDER BY id") == before


def test_every_table_matches_its_piccolo_definition(migrated_twice_at_once):
    from api.piccolo_app import APP_CONFIG

    url, _, _ = migrated_twice_at_once
    rows = run_sql(
        url,
        "SELECT c.relname AS table, a.attname AS column,"
        " format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null"
        " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0"
        " AND NOT a.attisdropped",
    )
    actual = {(r["table"], r["column"]): (r["type"], r["not_null"]) for r in rows}
    expected = {
        (table._meta.tablename, column._meta.db_column_name): (
            pg_type(column.column_type),
            not column._meta.null,
        )
        for table in APP_CONFIG.table_classes
        for column in table._meta.columns
    }
    migration_table = {key for key in actual if key[0] == "migration"}
    assert {key: actual[key] for key in actual if key not in migration_table} == expected


# Declared for Piccolo's history, dropped by raw SQL on purpose (m0022_rollup_deltas_sql).
# Rows removed by triggers instead (m0022, m0030); test_auth_account checks an
# account's deletion still leaves none.
KEYS_DROPPED_IN_SQL = {
    ("expense_monthly_rollup", "category_id"),
    ("expense_monthly_rollup", "user_id"),
}


def test_unique_columns_and_cascading_foreign_keys_exist(migrated_twice_at_once):
    from api.piccolo_app import APP_CONFIG

    url, _, _ = migrated_twice_at_once
    constraints = run_sql(
        url,
        "SELECT rel.relname AS table, con.contype::text AS kind,"
        " con.confdeltype::text AS on_delete, array_agg(att.attname::text) AS columns"
        " FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid"
        " JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY(con.conkey)"
        " GROUP BY rel.relname, con.oid, con.contype, con.confdeltype",
    )
    found = {(c["table"], c["kind"], tuple(c["columns"])): c["on_delete"] for c in constraints}
    for table in APP_CONFIG.table_classes:
        name = table._meta.tablename
        for column in table._meta.columns:
            column_name = column._meta.db_column_name
            if column._meta.unique:
                assert (name, "u", (column_name,)) in found, (name, column_name)
        for fk in table._meta.foreign_key_columns:
            on_delete = found.get((name, "f", (fk._meta.db_column_name,)))
            if (name, fk._meta.db_column_name) in KEYS_DROPPED_IN_SQL:
                assert on_delete is None, fk
                continue
            # Deleting an account relies on every user_id cascading.
            expected = {"cascade": "c", "restrict": "r", "no action": "a", "set null": "n"}
            assert on_delete == expected[fk._foreign_key_meta.on_delete.value.lower()], fk


def test_tables_and_migrations_agree():
    """Piccolo's auto-migration finds nothing to write: the history covers every table."""
    from piccolo.apps.migrations.commands.new import AutoMigrationManager

    from api.piccolo_app import APP_CONFIG

    manager = AutoMigrationManager(auto_input="y")
    alterations = asyncio.run(manager.get_alter_statements(app_config=APP_CONFIG))
    assert [statement for alter in alterations for statement in alter.statements] == []
