"""``/api/v1/rates``: the exchange rate that applies to a day, in the base currency."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from litestar import get
from litestar.di import NamedDependency
from litestar.params import Parameter

from api.currencies import queries, service
from api.currencies.arithmetic import rate_text
from api.database import pool
from api.errors import Problem, field_problem
from api.openapi import problem_responses
from wire.currencies import Rate
from wire.validation import CURRENCY_PATTERN, FieldError, check_date


@get(
    "/api/v1/rates",
    tags=["rates"],
    summary="The exchange rate for a day",
    description=(
        "The rate that converts an expense in `currency` spent on `date` into your base "
        "currency (your profile's `currency`): base units per 1 unit of `currency`, a "
        "decimal string of 15 significant digits (rounded half-even). Cross rates go "
        "through the euro reference rates of the European Central Bank; the ones used "
        "are the newest published on or before `date` and at most 7 days older, and "
        "the answer's `date` is the day they were published. Rate 1 (dated `date`) "
        "when `currency` is the base currency. 404 when no rates were published in "
        "that week."
    ),
    responses=problem_responses(404, 422),
)
async def get_rate(
    user_id: NamedDependency[int],
    currency: Annotated[str, Parameter(pattern=CURRENCY_PATTERN, description="ISO 4217 code")],
    # Named like the query key, so a validation error names `date` too.
    date: Annotated[dt.date, Parameter(description="Day spent (YYYY-MM-DD)")],
) -> Rate:
    try:
        check_date(date, "date")
    except FieldError as error:
        raise field_problem(error, "query") from None
    async with pool().acquire() as conn:
        base = await queries.base_currency(conn, user_id)
        applied = None if base is None else await service.rate_for(conn, base, currency, date)
    if applied is None:
        raise Problem(404, f"No {currency} rate was published in the 7 days up to {date}.")
    return Rate(
        currency=applied.currency, base=applied.base, date=applied.day, rate=rate_text(applied.rate)
    )
