"""The expenses table's columns and the words in them (money, tags, split parts).

Kept out of the model (``expenses.py``), which is about paging: these are plain
functions of one ``Expense``, called only for the rows on screen.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QLocale, Qt

from desktop.models.cells import qdate
from desktop.money import format_money
from wire.categories import Category
from wire.expenses import Expense

COLUMNS = ("Date", "Category", "Description", "Amount", "Currency", "Tags", "Notes")
DATE, CATEGORY, DESCRIPTION, AMOUNT, CURRENCY, TAGS, NOTES = range(len(COLUMNS))
# The server sorts by these columns; notes, tags and currency it does not order by.
SORT_KEYS = {DATE: "spent_on", CATEGORY: "category", DESCRIPTION: "description", AMOUNT: "amount"}
ExpenseRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
TagsRole = Qt.ItemDataRole.UserRole + 3  # list[str]: the chips the delegate paints
SPLIT_MARK = "\u25b8"  # ▸: "there is more inside", opened by a click


def currency_of(expense: Expense, base: str) -> str:
    """An expense's own currency (older servers send none: the base currency)."""
    return expense.currency or base


def amount_text(expense: Expense, base: str, locale: QLocale) -> str:
    return format_money(expense.amount, currency_of(expense, base), locale)


def amount_tip(expense: Expense, base: str, locale: QLocale) -> str | None:
    """What the amount is in the base currency, and where that figure comes from."""
    currency = currency_of(expense, base)
    if currency == base and not expense.settled:
        return None
    if expense.base_amount is None:
        return f"Not converted yet: no {currency} rate for {expense.spent_on.isoformat()}"
    converted = format_money(expense.base_amount, base, locale)
    if expense.settled:
        return f"{converted} charged (as the bank settled it)"
    return f"≈ {converted} at {expense.rate} {base} per {currency}"


def category_text(expense: Expense, categories: Mapping[int, Category]) -> str:
    if expense.splits:
        return f"{SPLIT_MARK} Split · {len(expense.splits)} categories"
    category = categories.get(expense.category_id)
    return category.name if category else expense.category


def split_lines(
    expense: Expense, categories: Mapping[int, Category], base: str, locale: QLocale
) -> list[tuple[str, str, str]]:
    """Each part of a split expense: (category name, its colour, amount text)."""
    currency = currency_of(expense, base)
    lines = []
    for part in expense.splits or ():
        category = categories.get(part.category_id)
        name = category.name if category else f"Category {part.category_id}"
        colour = category.color if category else "#9E9E9E"
        lines.append((name, colour, format_money(part.amount, currency, locale)))
    return lines


def split_tip(
    expense: Expense, categories: Mapping[int, Category], base: str, locale: QLocale
) -> str:
    parts = split_lines(expense, categories, base, locale)
    rows = "\n".join(f"  {name}: {amount}" for name, _colour, amount in parts)
    return f"Split into {len(parts)} parts (click to show):\n{rows}"


def tooltip(
    expense: Expense, column: int, categories: Mapping[int, Category], base: str, locale: QLocale
) -> str | None:
    if column in (DESCRIPTION, NOTES):
        return (expense.description if column == DESCRIPTION else expense.notes) or None
    if column == AMOUNT:
        return amount_tip(expense, base, locale)
    if column == CATEGORY and expense.splits:
        return split_tip(expense, categories, base, locale)
    if column == TAGS and expense.tags:
        return ", ".join(expense.tags)
    return None


def sort_key(expense: Expense, column: int, base: str) -> object:
    return (expense.spent_on, expense.category, expense.description, expense.amount,
            currency_of(expense, base), ", ".join(expense.tags), expense.notes)[column]  # fmt: skip


def display(
    expense: Expense,
    column: int,
    categories: Mapping[int, Category],
    base: str,
    dates: tuple[QLocale, str],
) -> str:
    """A cell's text: ``dates`` is the locale and its four-digit-year date format."""
    locale, date_format = dates
    if column == DATE:
        return locale.toString(qdate(expense.spent_on), date_format)
    if column == CATEGORY:
        return category_text(expense, categories)
    if column == DESCRIPTION:
        return expense.description
    if column == AMOUNT:
        return amount_text(expense, base, locale)
    if column == CURRENCY:
        return currency_of(expense, base)
    if column == TAGS:  # the delegate paints chips; this is for screen readers, copy
        return ", ".join(expense.tags)
    return " ".join(expense.notes.split())  # one line per row, whatever was typed
