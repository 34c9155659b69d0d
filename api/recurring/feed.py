"""The calendar feed of upcoming occurrences, behind a secret URL (no bearer token:
calendar apps cannot send one), and the routes that make and revoke that URL.

Guessing is throttled per client address (failed tokens, as for sign-in) and every
feed per account (a calendar app polls every few minutes at most).
"""

from __future__ import annotations

from typing import Annotated

from litestar import Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.auth import throttle
from api.auth.routes import client_address
from api.clock import today
from api.database import pool
from api.errors import Problem
from api.openapi import problem_responses
from api.recurring import calendar, service
from wire.recurring import CalendarLink

FEED_PATH = "/api/v1/recurring/calendar.ics"
FEED_DAYS = 366
MAX_MISSES_PER_ADDRESS = 20
MAX_FETCHES_PER_FEED = 120
FEED_WINDOW_SECONDS = 3600


def _too_many(blocked: throttle.Throttled) -> Problem:
    return Problem(
        429,
        "Too many calendar requests; retry later.",
        headers={"Retry-After": str(blocked.retry_after)},
    )


@post(
    "/api/v1/me/calendar-token",
    tags=["recurring"],
    operation_id="createCalendarToken",
    status_code=HTTP_201_CREATED,
    summary="Make the secret URL of your calendar feed (the old one stops working)",
)
async def create_calendar_token(request: Request, user_id: NamedDependency[int]) -> CalendarLink:
    async with pool().acquire() as conn:
        token = await calendar.new_token(conn, user_id)
    base = str(request.base_url).rstrip("/")
    return CalendarLink(url=f"{base}{FEED_PATH}?token={token}")


@delete(
    "/api/v1/me/calendar-token",
    tags=["recurring"],
    operation_id="revokeCalendarToken",
    status_code=HTTP_204_NO_CONTENT,
    summary="Revoke the URL of your calendar feed",
)
async def revoke_calendar_token(user_id: NamedDependency[int]) -> None:
    async with pool().acquire() as conn:
        await calendar.revoke(conn, user_id)


@get(
    FEED_PATH,
    tags=["recurring"],
    operation_id="getCalendarFeed",
    exclude_from_auth=True,
    summary="Upcoming occurrences as an RFC 5545 calendar",
    description="Authorised by the `token` of the URL that `POST /api/v1/me/calendar-token` "
    "made (no bearer token). Overdue occurrences and those of the next year, one all-day "
    "event each. An unknown or revoked token is a 404; repeated failures from one address, "
    "or more than 120 fetches of one feed in an hour, a 429.",
    media_type="text/calendar",
    responses=problem_responses(404, 429),
)
async def calendar_feed(
    request: Request,
    token: Annotated[str, Parameter(max_length=calendar.MAX_TOKEN)],
) -> Response[str]:
    misses = throttle.address_subject(client_address(request)).replace("ip:", "calendar-miss:")
    blocked = await throttle.reserve(misses, MAX_MISSES_PER_ADDRESS)
    if blocked is not None:
        raise _too_many(blocked)
    async with pool().acquire() as conn:
        user_id = await calendar.owner(conn, token)
    if user_id is None:
        raise Problem(404, "No such calendar.")
    await throttle.release(misses)
    blocked = await throttle.reserve(
        f"calendar-feed:{user_id}", MAX_FETCHES_PER_FEED, FEED_WINDOW_SECONDS
    )
    if blocked is not None:
        raise _too_many(blocked)
    async with pool().acquire() as conn:
        items = await service.upcoming(conn, user_id, today(), FEED_DAYS)
    return Response(
        calendar.render(items),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )
