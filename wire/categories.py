from __future__ import annotations

from typing import Annotated

import msgspec

from wire.validation import COLOR_PATTERN, MAX_CATEGORY_NAME, check_not_blank

CategoryName = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_CATEGORY_NAME)]
Color = Annotated[str, msgspec.Meta(pattern=COLOR_PATTERN, examples=["#4C6EF5"])]


class Category(msgspec.Struct):
    id: int
    name: str
    color: str


class CategoryList(msgspec.Struct):
    items: list[Category]


class CategoryCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: CategoryName
    color: Color | None = None

    def __post_init__(self) -> None:
        self.name = check_not_blank(self.name, "name")
        if self.color is not None:
            self.color = self.color.upper()


class CategoryUpdate(msgspec.Struct, forbid_unknown_fields=True):
    name: CategoryName | msgspec.UnsetType = msgspec.UNSET
    color: Color | msgspec.UnsetType = msgspec.UNSET

    def __post_init__(self) -> None:
        if isinstance(self.name, str):
            self.name = check_not_blank(self.name, "name")
        if isinstance(self.color, str):
            self.color = self.color.upper()
