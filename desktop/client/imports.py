"""Bank files: preview and import a statement, the import history, profiles, rules.

Preview and import send the statement as multipart (``file`` plus the optional
``mapping`` JSON, ``profile_id``, ``account`` and ``include_credits``), as API.md's
"Bank files" section says. Undoing an import and creating rules or profiles are
changes: they go through ``operations/imports.py`` as ops, not through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec

from desktop.client.http import API, Transport
from desktop.errors import ApiError
from wire.imports import (
    ImportMapping,
    ImportPage,
    ImportPreview,
    ImportProfile,
    ImportProfileList,
    ImportResult,
    PreviewRow,
)
from wire.rules import Rule, RuleCreate, RuleList

IMPORTS = f"{API}/imports"
PROFILES = f"{API}/import-profiles"
RULES = f"{API}/rules"


@dataclass(frozen=True)
class Statement:
    """What the user chose: the file's bytes and how to read them."""

    data: bytes
    name: str = "statement"
    mapping: ImportMapping | None = None
    profile_id: int | None = None
    account: str = ""
    include_credits: bool = False

    def form(self) -> dict[str, str]:
        fields = {"include_credits": "true" if self.include_credits else "false"}
        if self.mapping is not None:
            fields["mapping"] = msgspec.json.encode(self.mapping).decode()
        if self.profile_id is not None:
            fields["profile_id"] = str(self.profile_id)
        if self.account.strip():
            fields["account"] = self.account.strip()
        return fields


@dataclass
class RefusedImport(ApiError):
    """A 422 of the import: nothing was written; these rows are why."""

    rows: list[PreviewRow] = field(default_factory=list)


class _Refusal(msgspec.Struct):
    rows: list[PreviewRow] = []


class ImportCalls(Transport):
    def preview_import(self, statement: Statement) -> ImportPreview:
        response = self._send("POST", f"{IMPORTS}/preview", **_multipart(statement))
        return msgspec.json.decode(response.content, type=ImportPreview)

    def create_import(self, statement: Statement) -> ImportResult:
        """Import every new row, or nothing; a 422 carries the rows that refused it."""
        try:
            response = self._send("POST", IMPORTS, **_multipart(statement))
        except ApiError as error:
            if error.status == 422 and error.body:
                try:
                    rows = msgspec.json.decode(error.body, type=_Refusal).rows
                except (msgspec.DecodeError, msgspec.ValidationError):
                    rows = []
                raise RefusedImport(
                    422, error.detail, error.title, error.errors, body=error.body, rows=rows
                ) from None
            raise
        return msgspec.json.decode(response.content, type=ImportResult)

    def imports(self, cursor: str | None = None, limit: int = 50) -> ImportPage:
        params = {"limit": str(limit), **({"cursor": cursor} if cursor else {})}
        return self._get(IMPORTS, ImportPage, params=params)

    def import_profiles(self) -> list[ImportProfile]:
        return self._get(PROFILES, ImportProfileList).items

    def rules(self) -> list[Rule]:
        return self._get(RULES, RuleList).items

    def create_rule(self, data: RuleCreate) -> Rule:
        """For scripts (the demo's seed); the app creates rules as ops."""
        return self._json("POST", RULES, data, Rule)


def _multipart(statement: Statement) -> dict:
    return {
        "files": {"file": (statement.name, statement.data, "application/octet-stream")},
        "data": statement.form(),
    }
