"""The one Piccolo app: every table of every domain, and the migrations folder."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from api.auth.tables import Login, LoginFailure, RefreshToken, User
from api.budgets.tables import Budget
from api.categories.tables import Category
from api.currencies.tables import EuroRate
from api.expenses.tables import (
    Expense,
    ExpenseMonthlyRollup,
    ExpenseUserRollup,
    IdempotencyRecord,
)
from api.imports.tables import Import, ImportProfile
from api.recurring.tables import CalendarToken, Recurring
from api.rules.tables import Rule
from api.tags.tables import ExpenseTag, ExpenseTagRollup, Tag

MIGRATIONS_FOLDER = Path(__file__).resolve().parent.parent / "migrations"

APP_CONFIG = AppConfig(
    app_name="expense_tracker",
    migrations_folder_path=str(MIGRATIONS_FOLDER),
    table_classes=[
        User,
        Login,
        RefreshToken,
        LoginFailure,
        Category,
        Expense,
        ExpenseMonthlyRollup,
        ExpenseUserRollup,
        IdempotencyRecord,
        EuroRate,
        Tag,
        ExpenseTag,
        ExpenseTagRollup,
        Import,
        ImportProfile,
        Rule,
        Budget,
        Recurring,
        CalendarToken,
    ],
)
