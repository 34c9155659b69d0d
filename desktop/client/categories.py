"""Categories: list, create, rename or recolour, delete (moving expenses)."""

from __future__ import annotations

from desktop.client.http import API, Transport
from wire.categories import Category, CategoryList


class CategoryCalls(Transport):
    def categories(self) -> list[Category]:
        return self._get(f"{API}/categories", CategoryList).items

    def create_category(self, name: str, color: str | None = None) -> Category:
        body: dict[str, str] = {"name": name}
        if color:
            body["color"] = color
        return self._json("POST", f"{API}/categories", body, Category)

    def update_category(self, category_id: int, **fields: str) -> Category:
        return self._json("PATCH", f"{API}/categories/{category_id}", fields, Category)

    def delete_category(self, category_id: int, reassign_to: int | None = None) -> None:
        params = {"reassign_to": str(reassign_to)} if reassign_to is not None else None
        self._send("DELETE", f"{API}/categories/{category_id}", params=params)
