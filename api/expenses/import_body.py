"""Getting an import file out of a request: size-capped reading and multipart.

The route has no framework body limit of its own (``request_max_body_size=None``)
because the cap is an operator setting (``MAX_IMPORT_BYTES``) known only at run
time; :func:`read_capped` enforces it while the bytes arrive, so an oversized
upload is refused without being buffered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from litestar import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from api.errors import Problem

# Room for the multipart envelope (boundaries, part headers) around the file itself.
MULTIPART_OVERHEAD = 16 * 1024
CSV_TYPES = ("text/csv", "application/csv", "text/plain")
MULTIPART = "multipart/form-data"


def too_large(limit: int) -> Problem:
    return Problem(413, f"The import file is larger than {limit} bytes; split it.")


async def read_capped(request: Request, limit: int) -> bytes:
    """The whole body, or a 413 as soon as it is known to exceed ``limit`` bytes."""
    announced = request.content_length
    if announced is not None and announced > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def import_file(request: Request, max_bytes: int) -> bytes:
    """The CSV bytes of a ``text/csv`` body or of the multipart field ``file``."""
    media_type, options = parse_options_header(request.headers.get("content-type"))
    kind = media_type.decode("latin-1")
    if kind in CSV_TYPES:
        return await read_capped(request, max_bytes)
    if kind != MULTIPART:
        raise Problem(415, "Send the CSV as text/csv or as multipart/form-data field `file`.")
    boundary = options.get(b"boundary")
    if not boundary:
        raise Problem(400, "The multipart Content-Type has no boundary.")
    body = await read_capped(request, max_bytes + MULTIPART_OVERHEAD)
    data = multipart_field(body, boundary, "file")
    if data is None:
        raise Problem(
            422,
            "The multipart form has no field `file`.",
            errors=[{"field": "file", "message": "Field required", "source": "body"}],
        )
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return data


@dataclass
class _Collector:
    """Callbacks for python-multipart's push parser: keeps the parts' names and data."""

    wanted: bytes
    found: bytes | None = None
    _header_name: bytearray = field(default_factory=bytearray)
    _header_value: bytearray = field(default_factory=bytearray)
    _name: bytes | None = None
    _data: bytearray = field(default_factory=bytearray)

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda d, s, e: self._header_name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_part_data": lambda d, s, e: self._data.extend(d[s:e]),
            "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self._name, self._data = None, bytearray()

    def _header_end(self) -> None:
        if bytes(self._header_name).lower() == b"content-disposition":
            _, params = parse_options_header(bytes(self._header_value).decode("latin-1"))
            self._name = params.get(b"name")
        self._header_name, self._header_value = bytearray(), bytearray()

    def _end(self) -> None:
        if self._name == self.wanted and self.found is None:
            self.found = bytes(self._data)


def multipart_field(body: bytes, boundary: bytes, name: str) -> bytes | None:
    """The content of the first part called ``name``, or ``None`` when there is none."""
    collector = _Collector(wanted=name.encode())
    try:
        parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
        parser.write(body)
        parser.finalize()
    except MultipartParseError:
        raise Problem(400, "The multipart body is malformed.") from None
    return collector.found
