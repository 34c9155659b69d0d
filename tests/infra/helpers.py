"""Paths and small lookups shared by the infra tests."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TERRAFORM_DIR = REPO / "infra" / "terraform"
K8S_DIR = REPO / "infra" / "k8s"
CLUSTER_DIR = K8S_DIR / "cluster"
OVERLAYS = ("eks", "local")
DOCKERFILE = REPO / "packaging" / "api" / "Dockerfile"
COMPOSE_FILE = REPO / "packaging" / "compose.yaml"


def find(objects: list[dict], kind: str, name: str | None = None) -> list[dict]:
    return [
        obj
        for obj in objects
        if obj["kind"] == kind and (name is None or obj["metadata"]["name"] == name)
    ]


def one(objects: list[dict], kind: str, name: str) -> dict:
    matches = find(objects, kind, name)
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def pod_specs(objects: list[dict]) -> list[tuple[str, dict]]:
    """(kind/name, pod spec) of every workload, CronJobs' job templates included."""
    specs = []
    for obj in objects:
        where = f"{obj['kind']}/{obj['metadata']['name']}"
        if obj["kind"] in {"Deployment", "StatefulSet", "Job", "DaemonSet"}:
            specs.append((where, obj["spec"]["template"]["spec"]))
        elif obj["kind"] == "CronJob":
            specs.append((where, obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]))
    return specs


def blocks(terraform: dict[str, list], kind: str, type_: str | None = None) -> dict[str, dict]:
    """Blocks of one kind: {name: body} for module/variable/output, or
    {name: body} of one resource/data type."""
    found: dict[str, dict] = {}
    for entry in terraform.get(kind, []):
        for label, body in entry.items():
            if type_ is None:
                found[label] = body
            elif label == type_:
                found.update(body)
    return found


def strip_interpolation(value: object) -> object:
    """`${var.x}` -> `var.x`, leaving literals alone."""
    if isinstance(value, str):
        match = re.fullmatch(r"\$\{(.*)\}", value, flags=re.DOTALL)
        return match.group(1) if match else value
    return value
