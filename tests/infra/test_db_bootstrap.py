"""The db-bootstrap script (infra/k8s/overlays/eks/db-bootstrap/db_bootstrap.py) run
for real against PostgreSQL, as a master user with RDS's powers (CREATEROLE, owner
of the database, no superuser): the API's role reads and writes rows and nothing
else, the migrator owns the schema whichever login of its pair runs a migration."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest

from tests.infra.helpers import K8S_DIR
from tests.support import close_quietly, migrate, run_sql

SCRIPT = K8S_DIR / "overlays" / "eks" / "db-bootstrap" / "db_bootstrap.py"
MASTER, DATABASE, APP, MIGRATOR = "rds_master", "expense", "expense_app", "expense_migrator"


def load_script():
    spec = importlib.util.spec_from_file_location("db_bootstrap", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def login(tmp_path_factory: pytest.TempPathFactory):
    """login(user) -> a URL for the bootstrapped database as that user."""
    # A server of its own, always: the test creates cluster-wide roles, which
    # must not land in a server TEST_DATABASE_URL/DATABASE_URL may name.
    import pgserver

    server = pgserver.get_server(
        tmp_path_factory.mktemp("bootstrap") / "pgdata", cleanup_mode="stop"
    )
    try:
        server_url = server.get_uri()
        socket_dir = parse_qs(urlsplit(server_url).query)["host"][0]

        def url(user: str) -> str:
            return f"postgresql://{user}:@/{DATABASE}?host={socket_dir}"

        run_sql(server_url, f"CREATE ROLE {MASTER} LOGIN CREATEROLE")
        run_sql(server_url, f"CREATE DATABASE {DATABASE} OWNER {MASTER}")
        # What an earlier release's migration, run as the master, left behind.
        for statement in (
            "CREATE TABLE legacy (id serial PRIMARY KEY, note text)",
            "CREATE SEQUENCE legacy_numbers",
            "CREATE TYPE legacy_kind AS ENUM ('a', 'b')",
            "CREATE FUNCTION legacy_touch() RETURNS trigger LANGUAGE plpgsql"
            " AS $$ BEGIN RETURN NEW; END $$",
            "CREATE TRIGGER legacy_touch BEFORE UPDATE ON legacy"
            " FOR EACH ROW EXECUTE FUNCTION legacy_touch()",
        ):
            run_sql(url(MASTER), statement)
        # Releases before the split migrated as the master user.
        migrate(url(MASTER))
        environment = {
            "MASTER_DATABASE_URL": url(MASTER),
            "APP_ROLE": APP,
            "MIGRATOR_ROLE": MIGRATOR,
            "APP_USER": APP,
            "APP_PASSWORD": "first-app-password",
            "MIGRATOR_USER": MIGRATOR,
            "MIGRATOR_PASSWORD": "first-migrator-password",
        }
        script = load_script()
        asyncio.run(script.bootstrap(environment))
        asyncio.run(script.bootstrap(environment))  # every deploy runs it again
        yield url
    finally:
        close_quietly(server)


def test_what_earlier_releases_created_as_master_now_belongs_to_the_migrator(login):
    owners = run_sql(
        login(MASTER),
        "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'legacy_numbers'"
        " UNION ALL SELECT pg_get_userbyid(proowner) FROM pg_proc WHERE proname = 'legacy_touch'"
        " UNION ALL SELECT pg_get_userbyid(typowner) FROM pg_type WHERE typname = 'legacy_kind'",
    )
    assert [row[0] for row in owners] == [MIGRATOR, MIGRATOR, MIGRATOR]
    # A later migration may replace the function and change the type.
    run_sql(
        login(f"{MIGRATOR}_clone"),
        "CREATE OR REPLACE FUNCTION legacy_touch() RETURNS trigger LANGUAGE plpgsql"
        " AS $$ BEGIN NEW.note := coalesce(NEW.note, ''); RETURN NEW; END $$",
    )
    run_sql(login(MIGRATOR), "ALTER TYPE legacy_kind ADD VALUE IF NOT EXISTS 'c'")


def test_migrations_run_by_either_login_leave_the_migrator_owning_the_schema(login):
    run_sql(login(MIGRATOR), "CREATE TABLE from_migrator (id serial PRIMARY KEY)")
    run_sql(login(f"{MIGRATOR}_clone"), "CREATE TABLE from_clone (id serial PRIMARY KEY)")
    owners = dict(
        run_sql(
            login(MASTER),
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'",
        )
    )
    assert {"legacy", "from_migrator", "from_clone", "expense"} <= owners.keys()
    assert set(owners.values()) == {MIGRATOR}


@pytest.mark.parametrize("user", [APP, f"{APP}_clone"])
def test_api_role_reads_and_writes_rows_of_every_table(login, user):
    run_sql(login(MIGRATOR), "CREATE TABLE IF NOT EXISTS later (id serial PRIMARY KEY)")
    for table in ("legacy", "later"):
        run_sql(login(user), f"INSERT INTO {table} DEFAULT VALUES")
        run_sql(login(user), f"UPDATE {table} SET id = id")  # noqa: S608
        assert run_sql(login(user), f"SELECT count(*) FROM {table}")[0][0] >= 1  # noqa: S608
        run_sql(login(user), f"DELETE FROM {table}")  # noqa: S608


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE sneaky (id int)",
        "DROP TABLE legacy",
        "ALTER TABLE legacy ADD COLUMN sneaky int",
        "TRUNCATE legacy",
        "CREATE ROLE sneaky LOGIN",
    ],
)
def test_api_role_cannot_change_the_schema(login, statement):
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        run_sql(login(APP), statement)


def test_roles_have_no_special_attributes(login):
    rows = run_sql(
        login(MASTER),
        "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles"
        " WHERE rolname LIKE 'expense_%'",
    )
    assert {row["rolname"] for row in rows} == {
        APP, f"{APP}_clone", MIGRATOR, f"{MIGRATOR}_clone"
    }  # fmt: skip
    assert not any(any(row[1:]) for row in rows)


def test_script_is_what_the_job_mounts():
    assert Path(SCRIPT).is_file()
    kustomization = (SCRIPT.parents[1] / "kustomization.yaml").read_text()
    assert "db-bootstrap/db_bootstrap.py" in kustomization


def test_the_real_migrations_run_as_the_migrator_and_leave_the_api_every_table(login):
    """The fixture migrated as the master (releases before the split); every
    later deploy migrates as a login of the migrator pair, and the API can use
    every table the migrations made."""
    migrate(login(f"{MIGRATOR}_clone"))
    tables = [
        row[0]
        for row in run_sql(
            login(MASTER), "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
    ]
    assert "expense" in tables
    for table in tables:
        run_sql(login(APP), f"SELECT * FROM {table} LIMIT 1")  # noqa: S608
