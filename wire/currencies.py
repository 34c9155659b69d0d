from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec


class Rate(msgspec.Struct):
    """The exchange rate that applies to a day, against the account's base currency."""

    currency: Annotated[str, msgspec.Meta(description="ISO 4217 code asked about")]
    base: Annotated[str, msgspec.Meta(description="The account's base (profile) currency")]
    date: Annotated[dt.date, msgspec.Meta(description="Publication day of the rates used")]
    rate: Annotated[
        str,
        msgspec.Meta(
            description="Base units per 1 unit of `currency`, 15 significant digits",
            examples=["1.0321"],
        ),
    ]
