"""Offline checks of the deployment: shared, session-wide renders and scans.

Every tool these tests need must be present; a missing one fails the test that
needs it with the command that installs it (never a silent skip).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.infra.helpers import DOCKERFILE, K8S_DIR, OVERLAYS, REPO, TERRAFORM_DIR

# checkov needs bc-python-hcl2, which installs a module named `hcl2` over
# python-hcl2's (used here), so it lives in a virtualenv of its own.
CHECKOV_VENV = REPO / ".venv-checkov"
CHECKOV_INSTALL = "python3 -m venv .venv-checkov && .venv-checkov/bin/pip install 'checkov==3.3.30'"


def tool(name: str, install: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is required for the infra tests and was not found; {install}")
    return path


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` exited {result.returncode}:\n{result.stderr}{result.stdout}"
        )
    return result


# --- Kubernetes -------------------------------------------------------------


@pytest.fixture(scope="session")
def rendered_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each overlay rendered with `kubectl kustomize` into <dir>/<overlay>.yaml,
    and infra/k8s/cluster into <dir>/cluster.yaml.

    Rendered from a copy of infra/k8s so the local overlay's generated secrets
    (made by its own script, as an operator would) never touch the work tree.
    """
    kubectl = tool("kubectl", "install kubectl (1.30 or newer)")
    work = tmp_path_factory.mktemp("k8s")
    shutil.copytree(K8S_DIR, work / "k8s", ignore=shutil.ignore_patterns("secrets"))
    run(["bash", str(work / "k8s" / "overlays" / "local" / "generate-secrets.sh")])
    out = tmp_path_factory.mktemp("rendered")
    for overlay in OVERLAYS:
        result = run([kubectl, "kustomize", str(work / "k8s" / "overlays" / overlay)])
        (out / f"{overlay}.yaml").write_text(result.stdout)
    # The cluster-wide platform objects (Karpenter, the scraper's RBAC): scanned
    # by checkov with the rest.
    result = run([kubectl, "kustomize", str(work / "k8s" / "cluster")])
    (out / "cluster.yaml").write_text(result.stdout)
    return out


@pytest.fixture(scope="session")
def rendered(rendered_dir: Path) -> dict[str, list[dict]]:
    """overlay name -> the objects it renders."""
    return {
        overlay: [
            doc for doc in yaml.safe_load_all((rendered_dir / f"{overlay}.yaml").read_text()) if doc
        ]
        for overlay in OVERLAYS
    }


# --- Terraform --------------------------------------------------------------


@pytest.fixture(scope="session")
def terraform() -> dict[str, list]:
    """All *.tf files parsed with python-hcl2, top-level block lists merged."""
    try:
        import hcl2
        from hcl2.utils import SerializationOptions
    except ImportError as error:  # pragma: no cover - depends on the venv
        pytest.fail(
            f"python-hcl2 is not importable ({error}); `pip install -e .[infra]`. If checkov "
            "is installed in this venv, its bc-python-hcl2 shadows python-hcl2: "
            "`pip uninstall -y checkov bc-python-hcl2 && pip install --force-reinstall "
            "--no-deps python-hcl2`"
        )
    options = SerializationOptions(
        with_comments=False, explicit_blocks=False, strip_string_quotes=True
    )
    merged: dict[str, list] = {}
    for path in sorted(TERRAFORM_DIR.glob("*.tf")):
        with path.open() as file:
            for key, blocks in hcl2.load(file, serialization_options=options).items():
                merged.setdefault(key, []).extend(blocks)
    return merged


# --- checkov ----------------------------------------------------------------


@pytest.fixture(scope="session")
def checkov_reports(
    rendered_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict]:
    """One checkov run over the Terraform, the rendered manifests and the
    Dockerfile; check_type -> report. No --skip-check: skips are inline only."""
    checkov = os.environ.get("CHECKOV") or str(CHECKOV_VENV / "bin" / "checkov")
    if not Path(checkov).exists():
        pytest.fail(f"checkov not found at {checkov}; from the repo root: {CHECKOV_INSTALL}")
    out = tmp_path_factory.mktemp("checkov")
    command = [
        checkov,
        "--directory", str(TERRAFORM_DIR),
        "--directory", str(rendered_dir),
        "--directory", str(DOCKERFILE.parent),
        "--framework", "terraform", "kubernetes", "dockerfile",
        # Offline: no registry modules, no policy metadata from the vendor.
        "--skip-download",
        "--output", "json",
        "--output-file-path", str(out),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    report_file = out / "results_json.json"
    if not report_file.exists():
        pytest.fail(
            f"checkov produced no report (exit {result.returncode}):\n{result.stderr[-3000:]}"
        )
    reports = json.loads(report_file.read_text())
    if isinstance(reports, dict):
        reports = [reports]
    return {report["check_type"]: report for report in reports}
