from __future__ import annotations

import msgspec


class ServerVersion(msgspec.Struct):
    """``GET /api/v1/version``."""

    version: str
