from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec

from wire.validation import check_tag


class Tag(msgspec.Struct):
    name: str
    count: int  # live expenses (not in the trash) that carry it


class TagList(msgspec.Struct):
    items: list[Tag]


class TagRename(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[
        str,
        msgspec.Meta(
            max_length=200, description="The new name: 1-40 characters once trimmed, no commas"
        ),
    ]

    def __post_init__(self) -> None:
        self.name = check_tag(self.name)


class TagTotal(msgspec.Struct):
    name: str
    total: Decimal
    count: int


class TagAnalytics(msgspec.Struct):
    currency: str
    tags: list[TagTotal]
    unconverted: int = 0
