"""The image's Python dependencies come from a hashed lock (packaging/api/requirements.lock)
that satisfies pyproject.toml; the Dockerfile installs it with --require-hashes."""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.release.helpers import DOCKERFILE, REPO, workflow

LOCK = REPO / "packaging" / "api" / "requirements.lock"


def locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) of every entry in the lock."""
    entries: dict[str, tuple[str, list[str]]] = {}
    for block in re.split(r"\n(?=\S)", LOCK.read_text()):
        head = re.match(r"([A-Za-z0-9_.-]+)==([^\s\\;]+)", block)
        if head:
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
            entries[canonicalize_name(head.group(1))] = (head.group(2), hashes)
    return entries


def image_requirements() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return [
        Requirement(text)
        for text in project["dependencies"] + project["optional-dependencies"]["api"]
    ]


def test_every_locked_file_is_pinned_by_hash():
    entries = locked()
    assert len(entries) > 20
    for name, (version, hashes) in entries.items():
        assert hashes, f"{name}=={version} has no hash"


def test_lock_satisfies_pyproject_for_the_image():
    entries = locked()
    for requirement in image_requirements():
        name = canonicalize_name(requirement.name)
        assert name in entries, f"{requirement} is not in the lock"
        version = entries[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            str(requirement),
            version,
        )
    # Build backend: the project installs without build isolation.
    build = tomllib.loads((REPO / "pyproject.toml").read_text())["build-system"]["requires"]
    for text in build:
        requirement = Requirement(text)
        assert requirement.specifier.contains(entries[canonicalize_name(requirement.name)][0])


def test_dockerfile_and_ci_use_the_lock():
    dockerfile = DOCKERFILE.read_text()
    assert "COPY packaging/api/requirements.lock" in dockerfile
    assert "pip install --require-hashes --no-deps -r requirements.lock" in dockerfile
    steps = str(workflow("ci.yml")["jobs"]["lock"]["steps"])
    assert "make lock" in steps
    assert "diff -u" in steps
    makefile = (REPO / "Makefile").read_text()
    assert "--generate-hashes" in makefile
    assert "--extra api" in makefile


def test_ci_validates_terraform_against_the_registry():
    steps = str(workflow("ci.yml")["jobs"]["terraform"]["steps"])
    assert "terraform init -backend=false" in steps
    assert "terraform validate" in steps
