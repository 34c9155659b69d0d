"""The runbooks say what the repository does: sections they send operators to exist,
paths they name exist, nothing links outside the repository, and the versions
table is the one Terraform pins."""

from __future__ import annotations

import re

import pytest

from tests.release.helpers import REPO, TERRAFORM

RUNBOOK = REPO / "infra" / "README.md"
RELEASING = REPO / "docs" / "RELEASING.md"
# The operator runbooks this part of the repository owns.
DOCS = [RUNBOOK, RELEASING]


def headings(path) -> set[str]:
    """Markdown headings, outside fenced code blocks (where # starts a comment)."""
    found, fenced = set(), False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            found.add(line.lstrip("#").strip())
    return found


def test_sections_named_across_runbooks_exist():
    text = RELEASING.read_text()
    references = re.findall(r'`infra/README\.md`,\s*"([^"]+)"', text)
    assert references, "RELEASING.md should send operators to the restore runbook"
    missing = set(references) - headings(RUNBOOK)
    assert not missing, f"docs/RELEASING.md names sections infra/README.md lacks: {missing}"
    for quoted in re.findall(
        r'\(infra/README\.md, "([^"]+)"\)', (REPO / "packaging" / "api" / "Dockerfile").read_text()
    ):
        assert quoted in headings(RUNBOOK), quoted


def test_runbook_covers_restore_cost_and_regions():
    sections = headings(RUNBOOK)
    assert {
        "Restore from a point in time",
        "Cost of the default sizing",
        "Region notes",
    } <= sections
    text = RUNBOOK.read_text()
    restore = text.split("## Restore from a point in time", 1)[1].split("\n## ", 1)[0]
    for step in (
        "restore-db-instance-to-point-in-time",
        "terraform import",
        "rotate-secret",
        "cluster.env",
    ):
        assert step in restore, step
    cost = text.split("## Cost of the default sizing", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"\*\*total\*\* \| \| \*\*≈ \d+\*\*", cost)
    for cut in ("single_nat_gateway = true", "db_multi_az = false"):
        assert cut in cost, cut
    regions = text.split("## Region notes", 1)[1].split("\n## ", 1)[0]
    assert "us-east-1" in regions
    assert "two-AZ" in regions


@pytest.mark.parametrize("path", DOCS, ids=lambda path: str(path.relative_to(REPO)))
def test_docs_never_link_outside_the_repository(path):
    for target in re.findall(r"\]\(([^)]+)\)", path.read_text()):
        if target.startswith(("http://", "https://", "#")):
            continue
        resolved = (path.parent / target.split("#")[0]).resolve()
        assert resolved.is_relative_to(REPO), f"{path.name} links outside the repository: {target}"
        assert resolved.exists(), f"{path.name} links to a missing file: {target}"
    assert "../shared" not in path.read_text()


def test_versions_table_is_what_terraform_pins():
    table = RUNBOOK.read_text().split("## Versions", 1)[1].split("\n## ", 1)[0]
    rows = {
        cells[0]: cells[1]
        for line in table.splitlines()
        if line.startswith("| ") and not line.startswith("| what") and "---" not in line
        for cells in [[cell.strip() for cell in line.strip("|").split("|")]]
    }
    terraform = "\n".join(path.read_text() for path in TERRAFORM.glob("*.tf"))
    pinned = dict(
        re.findall(
            r'variable "(\w+)_chart_version" \{[^}]*?default\s*=\s*"([^"]+)"', terraform, re.S
        )
    )
    charts = {
        "lb_controller": "aws-load-balancer-controller chart",
        "external_secrets": "external-secrets chart",
        "reloader": "reloader chart",
        "karpenter": "karpenter chart",
        "argocd": "argo-cd chart (Argo CD v3.5)",
        "argocd_apps": "argocd-apps chart",
    }
    assert set(pinned) == set(charts)
    for variable, row in charts.items():
        assert rows[row] == pinned[variable], row
    modules = dict(
        re.findall(
            r'source\s*=\s*"terraform-aws-modules/([\w-]+)/aws[^"]*"\s*version\s*=\s*"([^"]+)"',
            terraform,
        )
    )
    for module, version in modules.items():
        (row,) = [
            name
            for name in rows
            if name.startswith(f"terraform-aws-modules/{module} ")
            or name == f"terraform-aws-modules/{module}"
        ]
        assert rows[row] == version, module
