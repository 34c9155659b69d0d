"""The layers and import rules of docs/architecture.md hold (import-linter contracts).

The contracts live in pyproject.toml (``[tool.importlinter]``); this test makes them
part of every ``make test`` and ``pytest`` run.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from tests.docs.conftest import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts() -> list[dict]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_the_documented_rules_are_all_contracts():
    names = " ".join(contract["name"] for contract in _contracts()).lower()
    for rule in ("desktop", "wire", "wiring", "core", "categories"):
        assert rule in names, rule


def test_every_import_contract_is_kept():
    result = subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(_contracts())} kept, 0 broken" in result.stdout, result.stdout
