"""Create the database roles the API and its migrations log in as.

Run by the expense-db-bootstrap Job (before the migration, every deploy) as the
RDS master user, in the API image (asyncpg, the RDS CA bundle); idempotent.

- ``MIGRATOR_ROLE`` owns the schema; the migration Job runs DDL as it.
- ``APP_ROLE`` may only read and write rows (and use sequences); the API runs
  as it.
- Each has a ``<role>_clone`` login for Secrets Manager's alternating-users
  rotation: a member of the role, created without a password (the first
  rotation sets one). A migration run as ``<migrator>_clone`` switches to the
  migrator role at login, so every table keeps one owner.

Passwords are used only to create a role that does not exist yet; afterwards
the rotation owns them.
"""

from __future__ import annotations

import asyncio
import os

import asyncpg

# Objects the master user owns in public: earlier releases migrated as it.
# Tables (with their indexes, triggers and column sequences), views, standalone
# sequences, functions and types; each as the text ALTER ... OWNER TO takes.
OWNED_BY_MASTER = """
SELECT 'TABLE', format('public.%I', c.relname)
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relowner = $1::regrole
UNION ALL
SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END,
       format('public.%I', c.relname)
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm') AND c.relowner = $1::regrole
UNION ALL
SELECT 'SEQUENCE', format('public.%I', c.relname)
FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner = $1::regrole
  AND NOT EXISTS (
    SELECT 1 FROM pg_depend AS d
    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')
  )
UNION ALL
SELECT 'FUNCTION', p.oid::regprocedure::text
FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND p.prokind = 'f' AND p.proowner = $1::regrole
UNION ALL
SELECT 'TYPE', t.oid::regtype::text
FROM pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace
WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typowner = $1::regrole
  AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
"""
ALTER_OWNER = {
    "TABLE": "ALTER TABLE %s OWNER TO %I",
    "VIEW": "ALTER VIEW %s OWNER TO %I",
    "MATERIALIZED VIEW": "ALTER MATERIALIZED VIEW %s OWNER TO %I",
    "SEQUENCE": "ALTER SEQUENCE %s OWNER TO %I",
    "FUNCTION": "ALTER FUNCTION %s OWNER TO %I",
    "TYPE": "ALTER TYPE %s OWNER TO %I",
}


async def sql(connection: asyncpg.Connection, template: str, *names: str) -> None:
    """Run ``template`` with identifiers (%I) and literals (%L) quoted by the server."""
    statement = await connection.fetchval(
        "SELECT format($1, VARIADIC $2::text[])", template, list(names)
    )
    await connection.execute(statement)


async def role_exists(connection: asyncpg.Connection, role: str) -> bool:
    return await connection.fetchval(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", role
    )


async def ensure_login_pair(
    connection: asyncpg.Connection, role: str, secret_user: str, password: str
) -> None:
    clone = f"{role}_clone"
    if not await role_exists(connection, role):
        if secret_user != role:
            raise SystemExit(f"role {role} is missing, but its secret logs in as {secret_user}")
        await sql(connection, "CREATE ROLE %I LOGIN PASSWORD %L", role, password)
    if not await role_exists(connection, clone):
        await sql(connection, "CREATE ROLE %I LOGIN", clone)
    await sql(connection, "GRANT %I TO %I", role, clone)


async def bootstrap(environment: dict[str, str]) -> None:
    app, migrator = environment["APP_ROLE"], environment["MIGRATOR_ROLE"]
    connection = await asyncpg.connect(environment["MASTER_DATABASE_URL"])
    try:
        async with connection.transaction():
            await ensure_login_pair(
                connection, migrator, environment["MIGRATOR_USER"], environment["MIGRATOR_PASSWORD"]
            )
            await ensure_login_pair(
                connection, app, environment["APP_USER"], environment["APP_PASSWORD"]
            )
            await sql(connection, "ALTER ROLE %I SET role = %L", f"{migrator}_clone", migrator)
            # Hand objects over and set default privileges as the migrator.
            await sql(connection, "GRANT %I TO CURRENT_USER", migrator)
            database = await connection.fetchval("SELECT current_database()")
            for role in (app, migrator):
                await sql(
                    connection, "GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I", database, role
                )
            await sql(connection, "GRANT USAGE, CREATE ON SCHEMA public TO %I", migrator)
            await sql(connection, "GRANT USAGE ON SCHEMA public TO %I", app)
            master = await connection.fetchval("SELECT current_user")
            for kind, name in await connection.fetch(OWNED_BY_MASTER, master):
                await sql(connection, ALTER_OWNER[kind], name, migrator)
            await sql(
                connection,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I",
                app,
            )
            await sql(
                connection,
                "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I",
                app,
            )
            for objects, privileges in (
                ("TABLES", "SELECT, INSERT, UPDATE, DELETE"),
                ("SEQUENCES", "USAGE, SELECT, UPDATE"),
            ):
                await sql(
                    connection,
                    f"ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public "
                    f"GRANT {privileges} ON {objects} TO %I",
                    migrator,
                    app,
                )
    finally:
        await connection.close()
    print(f"roles ready: {migrator} (schema owner), {app} (rows only), and their _clone logins")


if __name__ == "__main__":
    asyncio.run(bootstrap(dict(os.environ)))
