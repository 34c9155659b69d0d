"""Tags: the user's tags with their counts (the expense dialog completes from them)."""

from __future__ import annotations

from desktop.client.http import API, Transport
from wire.tags import Tag, TagList


class TagCalls(Transport):
    def tags(self) -> list[Tag]:
        return self._get(f"{API}/tags", TagList).items
