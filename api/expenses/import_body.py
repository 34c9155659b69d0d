"""Getting an import file out of a request, through Litestar's own body handling.

The route's body cap is ``MAX_IMPORT_BYTES`` (plus room for a multipart envelope),
an operator setting: :func:`api.expenses.importing.import_route` builds the route
with it at start-up, and Litestar refuses a longer body with a 413 while it is
still arriving, whether it is ``text/csv`` or ``multipart/form-data``.
"""

from __future__ import annotations

from litestar import Request
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType

from api.errors import Problem

# Room for the multipart envelope (boundaries, part headers) around the file itself.
MULTIPART_OVERHEAD = 16 * 1024
CSV_TYPES = ("text/csv", "application/csv", "text/plain")


def too_large(limit: int) -> Problem:
    return Problem(413, f"The import file is larger than {limit} bytes; split it.")


async def import_file(request: Request, max_bytes: int) -> bytes:
    """The CSV bytes of a ``text/csv`` body or of the multipart field ``file``."""
    media_type = request.content_type[0]
    if media_type in CSV_TYPES:
        data = await request.body()
    elif media_type == RequestEncodingType.MULTI_PART:
        upload = (await request.form()).get("file")
        if not isinstance(upload, UploadFile):
            raise Problem(
                422,
                "The multipart form has no field `file`.",
                errors=[{"field": "file", "message": "Field required", "source": "body"}],
            )
        data = await upload.read()
    else:
        raise Problem(415, "Send the CSV as text/csv or as multipart/form-data field `file`.")
    # The route's cap leaves room for a multipart envelope; the file itself may not.
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    return data
