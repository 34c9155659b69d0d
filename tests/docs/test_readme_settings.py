"""The README's configuration table names every variable the API reads, and no other."""

from __future__ import annotations

import re

from api.settings import ENVIRONMENT
from tests.docs.conftest import REPO


def test_the_configuration_table_matches_the_settings():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text.split("### Configuration", 1)[1].split("\n## ", 1)[0]
    # The variables are the first column of each row (a default may be a word too).
    first_cells = [row.split("|")[1] for row in table.splitlines() if row.startswith("| `")]
    named = {name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}
    assert named == set(ENVIRONMENT)
