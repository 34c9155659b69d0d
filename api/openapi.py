"""An OpenAPI document that tells the truth about errors (RFC 9457 problem details).

Every route lists the problem responses its own logic can give::

    from api.openapi import problem_responses

    @get("/{expense_id:int}", responses=problem_responses(404))
    @patch("/{expense_id:int}", responses=problem_responses(404, 409, 412, 422))

The codes any operation of a kind can answer are added to the served document by
:func:`correct_schema`, so no route has to remember them:

- 401 (with ``WWW-Authenticate``) on every route that needs a bearer token, and
  ``security: []`` on the public ones (register, login, …);
- 400 (malformed JSON) and 413 (body too large) where there is a request body,
  422 wherever a body or a parameter is validated, 404 where the path has a
  parameter (a value of the wrong type matches no route);
- 500 and 503 (with ``Retry-After``) everywhere under ``/api``;
- ``additionalProperties: false`` on request bodies whose struct forbids unknown
  fields (they answer 422 to an extra key).

Litestar documents its own validation answer (400, ``application/json``,
``{"status_code", "detail"}``) on every route with inputs; :func:`correct_schema`
replaces it with what :mod:`api.errors` really sends (400 or 422 problem+json).
The hook is a render plugin, so every view of the document (JSON, Scalar,
Swagger) shows the corrected one; it is idempotent and works on the cached dict.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Litestar, Request
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.plugins import (
    JsonRenderPlugin,
    OpenAPIRenderPlugin,
    ScalarRenderPlugin,
    SwaggerRenderPlugin,
)
from litestar.routes import HTTPRoute
from litestar.types import Method
from litestar.types.internal_types import PathParameterDefinition

from api.auth.middleware import PUBLIC_PATHS
from api.errors import PROBLEM_JSON, TITLES


class FieldProblem(msgspec.Struct):
    field: str
    message: str
    source: str


class ProblemDetails(msgspec.Struct):
    """RFC 9457 problem details; validation failures (422) also list ``errors``."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | msgspec.UnsetType = msgspec.UNSET


DESCRIPTIONS = {
    400: "The body is not well-formed JSON.",
    401: "Missing, invalid or expired access token, or the account no longer exists.",
    403: "The request is understood but refused.",
    404: "No such resource (another user's counts as none).",
    409: "Conflicts with the current state of the resource.",
    412: "If-Match does not name the current version.",
    413: "The request body is too large.",
    422: "The request breaks a rule; `errors` names each offending field.",
    429: "Too many attempts; retry after `Retry-After` seconds.",
    500: "Unexpected error; it has been logged.",
    503: "The database is not answering; retry after `Retry-After` seconds.",
}

_REF = "#/components/schemas/{name}"
_PROBLEM_REF = {"$ref": _REF.format(name="ProblemDetails")}
_HEADERS = {
    401: {"WWW-Authenticate": "The authentication scheme: `Bearer`."},
    429: {"Retry-After": "Seconds until a new attempt may succeed."},
    503: {"Retry-After": "Seconds after which to retry."},
}
_STRING = {"type": "string"}
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operation_id(
    handler: HTTPRouteHandler,
    http_method: Method,
    path_components: list[str | PathParameterDefinition],
) -> str:
    """``OpenAPIConfig(operation_id_creator=...)``: the handler's name in camelCase.

    Litestar's default glues the path onto the name (``ApiV1ExpensesExpenseIdGetExpense``),
    which becomes a generated client's function name. A handler named ``get_expense``
    documents ``getExpense``; where the name does not read well as an operation, the route
    says ``operation_id=`` itself (Litestar then does not call this). A handler named only
    after its method (a library's ``get``) gets its path appended: ``getMetrics``.
    ``tests/docs/test_operation_ids.py`` pins the list, so a rename is deliberate.
    """
    words = handler.handler_name.split("_")
    if words == [http_method.lower()]:
        words += [c for c in path_components if isinstance(c, str) and c != "api"]
    first, *rest = (word for word in words if word)
    return first.lower() + "".join(word[:1].upper() + word[1:] for word in rest)


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """``responses=`` for a route handler: these statuses, as problem+json."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=DESCRIPTIONS.get(status, TITLES.get(status, "Error")),
            media_type=PROBLEM_JSON,
            generate_examples=False,
        )
        for status in statuses
    }


def _problem(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": DESCRIPTIONS.get(status, TITLES.get(status, "Error")),
        "content": {PROBLEM_JSON: {"schema": dict(_PROBLEM_REF)}},
    }
    return response


def _is_litestar_default_error(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    candidates = schema.get("oneOf", [schema])
    return any("status_code" in c.get("properties", {}) for c in candidates)


def _handlers(app: Litestar) -> dict[tuple[str, str], HTTPRouteHandler]:
    """The handler behind each documented (path, method)."""
    handlers = {}
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                for method in handler.http_methods:
                    handlers[(route.path_format, method.lower())] = handler
    return handlers


def _close_strict_body(
    operation: dict[str, Any], handler: HTTPRouteHandler, components: dict[str, Any]
) -> None:
    # A body struct with forbid_unknown_fields answers 422 to an extra key; without
    # additionalProperties: false the document would promise such bodies are fine.
    data = handler.parsed_fn_signature.parameters.get("data")
    body_type = data.annotation if data is not None else None
    config = getattr(body_type, "__struct_config__", None)
    if config is None or not config.forbid_unknown_fields:
        return
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    name = ref.rpartition("/")[2]
    if name in components:
        components[name]["additionalProperties"] = False


def _correct_operation(path: str, operation: dict[str, Any], *, public: bool) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    has_body = "requestBody" in operation
    validates = has_body or bool(operation.get("parameters")) or "{" in path
    default_error = responses.get("400")
    if default_error is not None and _is_litestar_default_error(default_error):
        del responses["400"]
    wanted = {500}
    if path.startswith("/api/"):
        wanted.add(503)
    if has_body:
        wanted.update((400, 413))
    if validates:
        wanted.add(422)
    if "{" in path:
        wanted.add(404)
    if public:
        operation["security"] = []
    else:
        wanted.add(401)
    for status in sorted(wanted):
        responses.setdefault(str(status), _problem(status))
    for status, headers in _HEADERS.items():
        if str(status) in responses:
            documented = responses[str(status)].setdefault("headers", {})
            for name, description in headers.items():
                header = {"description": description, "required": True, "schema": _STRING}
                documented.setdefault(name, header)


def correct_schema(app: Litestar, schema: dict[str, Any]) -> dict[str, Any]:
    """Make ``schema`` (the generated document, as a dict) list what the API sends."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    _, definitions = msgspec.json.schema_components([ProblemDetails], ref_template=_REF)
    for name, definition in definitions.items():
        components.setdefault(name, definition)
    handlers = _handlers(app)
    for path, item in schema.get("paths", {}).items():
        for method in _METHODS:
            if method not in item:
                continue
            handler = handlers.get((path, method))
            is_public = (handler is not None and handler.opt.get("exclude_from_auth")) or any(
                re.match(pattern, path) for pattern in PUBLIC_PATHS
            )
            _correct_operation(path, item[method], public=bool(is_public))
            if handler is not None:
                _close_strict_body(item[method], handler, components)
    metrics = schema.get("paths", {}).get("/metrics", {}).get("get")
    if metrics is not None:
        # Litestar says JSON; the Prometheus exposition format is plain text.
        metrics["responses"]["200"]["content"] = {"text/plain": {"schema": {"type": "string"}}}
        # The library's controller has neither tags nor a summary of its own.
        metrics["tags"] = ["service"]
        metrics["summary"] = "Prometheus metrics of this process"
    return schema


class _Corrected(OpenAPIRenderPlugin):
    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, correct_schema(request.app, openapi_schema))  # type: ignore[safe-super]


class CorrectedJsonRenderPlugin(_Corrected, JsonRenderPlugin):
    """``/openapi.json``, corrected."""


class CorrectedScalarRenderPlugin(_Corrected, ScalarRenderPlugin):
    """Interactive docs (the default view), from the corrected document."""


class CorrectedSwaggerRenderPlugin(_Corrected, SwaggerRenderPlugin):
    """Swagger UI, from the corrected document."""


def render_plugins() -> list[OpenAPIRenderPlugin]:
    """For ``OpenAPIConfig(render_plugins=...)``: every view shows the corrected document."""
    return [
        CorrectedScalarRenderPlugin(),
        CorrectedSwaggerRenderPlugin(path="/swagger"),
        CorrectedJsonRenderPlugin(),
    ]
