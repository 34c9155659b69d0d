"""Reading a JSON body, for every route at once (``Litestar(request_class=ApiRequest)``).

Litestar decodes a body to plain Python values and then converts them to the
handler's wire type. Its own first step is replaced here, because the contract
asks more of it than Litestar does:

- JSON nested deeper than ``MAX_JSON_DEPTH`` is a 400; msgspec itself only stops
  near 1000 levels, with a ``RecursionError`` that Litestar would make a 500;
- text holding U+0000 is a 422 naming the field (PostgreSQL cannot store it);
- a JSON number with a fraction or exponent reaches the wire type as its literal
  text, so amounts are checked as written (``1e3``, ``1.500``) instead of as a
  float that has already lost what the client sent.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.types import Empty

from api.errors import Problem

MAX_JSON_DEPTH = 32
_decoder = msgspec.json.Decoder(float_hook=str)


class ApiRequest(Request):
    async def json(self) -> Any:
        if self._json is Empty:
            if (cached := self._connection_state.json) is not Empty:
                self._json = cached
            else:
                self._json = self._connection_state.json = decode_json_body(await self.body())
        return self._json


def decode_json_body(body: bytes) -> Any:
    """The body's JSON value, checked for depth and NUL characters."""
    if not body:
        return None
    try:
        value = _decoder.decode(body)
    except msgspec.DecodeError:
        raise Problem(400, "The request body is not valid JSON.") from None
    except RecursionError:
        raise _too_deep() from None
    _check_tree(value)
    return value


def _too_deep() -> Problem:
    return Problem(400, f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.")


def _check_tree(root: Any) -> None:
    # Iterative, so the check itself cannot hit the recursion limit it guards.
    pending: list[tuple[Any, int, str]] = [(root, 1, "")]
    while pending:
        value, depth, path = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                _refuse_nul(path)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise _too_deep()
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    _refuse_nul(path or "body")
                pending.append((item, depth + 1, f"{path}.{key}" if path else key))
        else:
            pending.extend((item, depth + 1, f"{path}[{i}]") for i, item in enumerate(value))


def _refuse_nul(path: str) -> None:
    field = path or "body"
    raise Problem(
        422,
        f"{field}: text must not contain the NUL character.",
        errors=[
            {"field": field, "message": "Must not contain the NUL character", "source": "body"}
        ],
    )
