"""The one history of the schema (Piccolo migrations, applied in ID order).

Piccolo imports every module of this folder as a migration, except this one, so
what migrations share lives here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder


def raw_sql(
    migration_id: str, description: str, forwards: list[str], backwards: list[str]
) -> Callable[[], Awaitable[MigrationManager]]:
    """A migration's ``forwards()`` that runs SQL statements in order (and back)."""

    async def migration() -> MigrationManager:
        manager = MigrationManager(
            migration_id=migration_id, app_name="expense_tracker", description=description
        )

        async def apply() -> None:
            for statement in forwards:
                await engine_finder().run_ddl(statement)

        async def revert() -> None:
            for statement in backwards:
                await engine_finder().run_ddl(statement)

        manager.add_raw(apply)
        manager.add_raw_backwards(revert)
        return manager

    return migration
