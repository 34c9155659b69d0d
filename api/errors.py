"""RFC 9457 problem details (``application/problem+json``) for every error.

One set of handlers covers every way a request can fail: malformed JSON (400)
versus a body that breaks a rule (422, naming the fields), routing errors (404,
405), oversized bodies (413), an unreachable database (503 with ``Retry-After``),
and unexpected errors, whose body never carries a stack trace, SQL or secret.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from api.database import UNAVAILABLE_ERRORS
from wire.validation import FieldError

logger = logging.getLogger("api.errors")

PROBLEM_JSON = "application/problem+json"
DATABASE_RETRY_AFTER_SECONDS = 2
BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="expense-tracker"'}
_FIELD_PATH = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
# msgspec names a missing or unknown key in the message, not in the path.
_NAMED_KEY = re.compile(r"^Object (?:missing required|contains unknown) field `(?P<key>[^`]*)`$")

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation failed",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class Problem(HTTPException):
    """Raise to answer a problem-details error from anywhere in a handler."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail=detail, status_code=status, headers=headers)
        self.errors = errors


def problem_response(
    status: int,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if extra:
        body.update(extra)
    return Response(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def field_problem(error: FieldError, source: str = "body") -> Problem:
    """The 422 for a broken rule of wire.validation, naming its field."""
    return Problem(
        422,
        f"{error.field}: {error.reason}.",
        errors=[{"field": error.field, "message": error.reason, "source": source}],
    )


def field_errors(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn Litestar/msgspec validation messages into ``[{"field", "message"}]``."""
    errors = []
    for item in messages:
        match = _FIELD_PATH.match(str(item.get("message", "")))
        message = match["message"] if match else str(item.get("message", ""))
        source = item.get("source", "body")
        # Litestar puts the field path in ``key`` ("email", "items.0.amount"); for
        # the body as a whole it is the handler's parameter name, ``data``.
        key = str(item.get("key") or "")
        path = ((match["path"] if match else None) or "").lstrip(".") or key
        if path == "data" and source == "body":
            path = ""
        if named := _NAMED_KEY.match(message):
            path = f"{path}.{named['key']}" if path else named["key"]
        errors.append({"field": path or "body", "message": _humane(message), "source": source})
    return errors


_PATTERN_MISMATCH = re.compile(r"^Expected `str` matching regex .*$", re.DOTALL)


def _humane(message: str) -> str:
    # A regex is no help to the person who typed the value.
    if _PATTERN_MISMATCH.match(message):
        return "Has an invalid format"
    return message


def handle_validation(request: Request, exc: ValidationException) -> Response:
    # Malformed JSON never gets here: api.request_body answers it with a 400.
    messages = exc.extra if isinstance(exc.extra, list) else []
    if any(item.get("source") == "path" for item in messages):
        # A path id out of range (0, beyond int64) names nothing: the same 404 as
        # an id that does not exist, so ids of any size behave alike.
        return problem_response(404, "No such resource.")
    errors = field_errors(messages)
    names = _query_names(request)
    for error in errors:
        if error["source"] == "query":
            error["field"] = names.get(error["field"], error["field"])
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or (exc.detail or "")
    return problem_response(422, detail, extra={"errors": errors})


def _query_names(request: Request) -> dict[str, str]:
    """The handler's parameters named as the client writes them in the query.

    Litestar reports a query parameter by its Python name (``date_from``); the
    client sent ``from``, the name API.md documents and our own range check uses.
    """
    handler = request.scope.get("route_handler")
    if handler is None:
        return {}
    signatures = [handler.parsed_fn_signature]
    signatures += [
        provide.parsed_fn_signature
        for provide in handler.resolve_dependencies().values()
        if getattr(provide, "parsed_fn_signature", None) is not None
    ]
    names: dict[str, str] = {}
    for signature in signatures:
        for name, field in signature.parameters.items():
            query = getattr(field.kwarg_definition, "name", None)
            if query and query != name:
                names[name] = query
    return names


def handle_not_authorized(request: Request, exc: NotAuthorizedException) -> Response:
    # The middleware's own messages tell an attacker which check failed; one answer
    # for every kind of bad token is all a legitimate client needs.
    return problem_response(
        401, "A valid access token is required.", headers=dict(BEARER_CHALLENGE)
    )


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    detail = exc.detail if status < 500 else TITLES.get(status, "Error")
    headers = dict(exc.headers or {})
    if status == 401:
        headers.update(BEARER_CHALLENGE)
    extra = {"errors": exc.errors} if isinstance(exc, Problem) and exc.errors is not None else None
    return problem_response(
        status, detail or TITLES.get(status, "Error"), headers=headers, extra=extra
    )


def handle_database_unavailable(request: Request, exc: Exception) -> Response:
    # Also deadlocks and serialization failures: the client's request was fine and
    # a retry succeeds, which is what 503 + Retry-After says.
    logger.warning("database unavailable: %s", type(exc).__name__)
    return problem_response(
        503,
        "The database is not answering. Please retry shortly.",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


def handle_unexpected(request: Request, exc: Exception) -> Response:
    if isinstance(exc, UNAVAILABLE_ERRORS):
        return handle_database_unavailable(request, exc)
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(
        HTTP_500_INTERNAL_SERVER_ERROR, "Something went wrong on our side; it has been logged."
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ValidationException: handle_validation,
    NotAuthorizedException: handle_not_authorized,
    HTTPException: handle_http_exception,
    # Litestar picks the handler of the nearest class in the exception's MRO.
    **dict.fromkeys(UNAVAILABLE_ERRORS, handle_database_unavailable),
    Exception: handle_unexpected,
}
