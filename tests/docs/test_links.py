"""Every relative link of README.md and docs/*.md resolves inside the repository.

A fresh clone is all a reader has: a link to ``../shared/…`` or to a file that moved
is a dead end. Web links (``https://…``) are not checked here; anchors are dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs.conftest import REPO

# [text](target) and ![alt](target), the target up to a space or ")" (titles dropped).
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?[^)]*\)")
FENCE = re.compile(r"^```.*?^```$", re.MULTILINE | re.DOTALL)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def relative_links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    targets = [target.split("#", 1)[0] for target in LINK.findall(text)]
    return [t for t in targets if t and not SCHEME.match(t)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(REPO).as_posix())
def test_every_relative_link_resolves_inside_the_repository(page: Path):
    for target in relative_links(page):
        assert not target.startswith("/"), f"{target}: absolute paths break on GitHub"
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(REPO), f"{target} leaves the repository"
        assert resolved.exists(), f"{target} does not exist"


def test_the_readme_links_the_docs():
    links = set(relative_links(REPO / "README.md"))
    assert {"docs/api.md", "docs/architecture.md", "docs/user-guide.md"} <= links


def test_the_link_check_sees_a_dead_link(tmp_path: Path):
    page = tmp_path / "page.md"
    page.write_text("[contract](../shared/API.md) and ![x](shots/a.png)\n```\n[no](x)\n```\n")
    assert relative_links(page) == ["../shared/API.md", "shots/a.png"]
