"""checkov over the Terraform, the rendered manifests and the Dockerfile: no failed check,
and every skip is inline, on one resource, with its reason."""

from __future__ import annotations

import pytest

FRAMEWORKS = ("terraform", "kubernetes", "dockerfile")


def describe(check: dict) -> str:
    return (
        f"{check['check_id']} {check['check_name']} on {check['resource']} ({check['file_path']})"
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_checkov_passes_with_no_failed_check(checkov_reports, framework):
    report = checkov_reports.get(framework)
    assert report is not None, f"checkov ran no {framework} checks: {sorted(checkov_reports)}"
    summary = report["summary"]
    assert summary["parsing_errors"] == 0
    assert summary["passed"] > 0
    failed = report["results"].get("failed_checks", [])
    assert not failed, "\n".join(describe(check) for check in failed)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_checkov_skips_are_inline_and_explained(checkov_reports, framework):
    for check in checkov_reports[framework]["results"].get("skipped_checks", []):
        reason = (check.get("check_result", {}).get("suppress_comment") or "").strip()
        # A reason is a sentence, not "ok" or the default "No comment provided".
        assert len(reason) >= 40, f"unexplained skip: {describe(check)}: {reason!r}"
        assert reason != "No comment provided", describe(check)
