"""Piccolo foreign keys default to NULL-able; no row may lack its owner or category."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey

ID = "2026-11-26T08:51:25:256419"
VERSION = "1.38.0"
DESCRIPTION = "every owner and category reference is NOT NULL"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="expense_tracker", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="RefreshToken",
        tablename="refresh_token",
        column_name="user_id",
        db_column_name="user_id",
        params={"null": False},
        old_params={"null": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Category",
        tablename="category",
        column_name="user_id",
        db_column_name="user_id",
        params={"null": False},
        old_params={"null": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Expense",
        tablename="expense",
        column_name="user_id",
        db_column_name="user_id",
        params={"null": False},
        old_params={"null": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Expense",
        tablename="expense",
        column_name="category_id",
        db_column_name="category_id",
        params={"null": False},
        old_params={"null": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="ExpenseMonthlyRollup",
        tablename="expense_monthly_rollup",
        column_name="user_id",
        db_column_name="user_id",
        params={"null": False},
        old_params={"null": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="ExpenseMonthlyRollup",
        tablename="expense_monthly_rollup",
        column_name="category_id",
        db_column_name="category_id",
        params={"null": False},
        old_params={"null": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="IdempotencyRecord",
        tablename="idempotency_record",
        column_name="user_id",
        db_column_name="user_id",
        params={"null": False},
        old_params={"null": True},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
