"""Every statement here is read and checked against ``<file>.json`` beside it, no server.

The golden files were written by ``UPDATE_GOLDEN=1 pytest tests/api/imports`` and then
read line by line against the statement: a change in what a file reads as shows as a
diff of the JSON, to be reviewed like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from api.imports.formats import ReadOptions, read_statement

HERE = Path(__file__).parent
STATEMENTS = sorted(p for p in HERE.iterdir() if p.is_file() and p.suffix not in (".json", ".py"))


@pytest.mark.parametrize("path", STATEMENTS, ids=[p.name for p in STATEMENTS])
def test_statement_reads_as_its_golden_file(path: Path) -> None:
    got = read_statement(path.read_bytes()).as_dict()
    golden = path.with_name(path.name + ".json")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


CSV_FILES = [p for p in STATEMENTS if p.suffix == ".csv"]


@pytest.mark.parametrize("path", CSV_FILES, ids=[p.name for p in CSV_FILES])
def test_detected_mapping_fed_back_reads_the_same_rows(path: Path) -> None:
    data = path.read_bytes()
    detected = read_statement(data)
    again = read_statement(data, ReadOptions(mapping=detected.mapping))
    assert again.as_dict() == detected.as_dict()
