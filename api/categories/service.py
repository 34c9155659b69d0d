"""Category rules shared by registration, the category routes and CSV import."""

from __future__ import annotations

from api.categories.tables import Category

DEFAULT_CATEGORIES = (
    ("Food", "#E4572E"),
    ("Travel", "#17BEBB"),
    ("Bills", "#4C6EF5"),
    ("Shopping", "#F0A202"),
    ("Entertainment", "#A23B72"),
    ("Health", "#2E933C"),
    ("Transport", "#7D5BA6"),
    ("Other", "#8D99AE"),
)
# Categories that CSV import creates get colours in turn from this palette.
PALETTE = tuple(color for _, color in DEFAULT_CATEGORIES)


async def create_default_categories(user_id: int) -> None:
    """Give a new account the default categories (call inside its transaction)."""
    await Category.insert(
        *(Category(user_id=user_id, name=name, color=color) for name, color in DEFAULT_CATEGORIES)
    )
