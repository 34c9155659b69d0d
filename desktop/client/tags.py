"""Tags: the list with counts (the expense dialog and the tag filter complete from
it), rename (or merge), delete, and the tag totals."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from desktop.client.http import API, Transport
from wire.tags import Tag, TagAnalytics, TagList, TagRename


def tag_path(name: str) -> str:
    """``/api/v1/tags/{name}``: every reserved character encoded, "/" too."""
    return f"{API}/tags/{quote(name, safe='')}"


class TagCalls(Transport):
    def tags(self) -> list[Tag]:
        return self._get(f"{API}/tags", TagList).items

    def rename_tag(self, name: str, new_name: str) -> Tag:
        """Renaming onto another tag merges into it (the answer is the survivor)."""
        return self._json("PATCH", tag_path(name), TagRename(new_name), Tag)

    def delete_tag(self, name: str) -> None:
        self._send("DELETE", tag_path(name))

    def tag_breakdown(self, first: date | None, last: date | None) -> TagAnalytics:
        params = {"from": first, "to": last}
        clean = {k: v.isoformat() for k, v in params.items() if v is not None}
        return self._get(f"{API}/analytics/tags", TagAnalytics, params=clean)
