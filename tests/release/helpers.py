"""Paths and tool lookup shared by the release tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
RELEASE_RENDER = REPO / ".github" / "release"
EKS_OVERLAY = REPO / "infra" / "k8s" / "overlays" / "eks"
ARGOCD = REPO / "infra" / "k8s" / "argocd"
TERRAFORM = REPO / "infra" / "terraform"
DOCKERFILE = REPO / "packaging" / "api" / "Dockerfile"
SPEC = REPO / "packaging" / "desktop" / "expense-tracker.spec"
INSTALL = "`pip install -e .[infra]` (or `make test`, which installs it)"


def tool(name: str) -> str:
    """A command-line tool from this virtualenv (or PATH); fail, never skip, without it."""
    beside_python = Path(sys.executable).parent / name
    path = str(beside_python) if beside_python.exists() else shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is required by the release checks and was not found; {INSTALL}")
    return path


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a checker; its whole output is the failure message."""
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return result


def workflow(name: str) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); nothing here needs it.
    return yaml.safe_load((WORKFLOWS / name).read_text())


def render(kustomization_dir: Path) -> list[dict]:
    result = run([tool("kubectl"), "kustomize", str(kustomization_dir)])
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]
