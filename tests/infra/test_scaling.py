"""Autoscaling that acts: metrics-server feeds the HPA, Karpenter adds nodes for the
replicas it creates (infra/terraform/karpenter.tf, infra/k8s/cluster/karpenter.yaml)."""

from __future__ import annotations

import subprocess

import kubernetes_validate
import pytest
import yaml

from tests.infra.helpers import CLUSTER_DIR, blocks, one, strip_interpolation
from tests.infra.test_kubernetes import kubernetes_version


@pytest.fixture(scope="module")
def cluster_objects() -> list[dict]:
    result = subprocess.run(
        ["kubectl", "kustomize", str(CLUSTER_DIR)], capture_output=True, text=True, check=True
    )
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def test_metrics_server_add_on_feeds_the_hpa(terraform, rendered):
    addons = blocks(terraform, "module")["eks"]["addons"]
    assert "metrics-server" in addons
    hpa = one(rendered["eks"], "HorizontalPodAutoscaler", "expense-api")
    (metric,) = hpa["spec"]["metrics"]
    assert metric["type"] == "Resource"  # served by metrics-server


def test_karpenter_controller_runs_on_the_fixed_node_group(terraform):
    release = blocks(terraform, "resource", "helm_release")["karpenter"]
    assert release["repository"] == "oci://public.ecr.aws/karpenter"
    assert strip_interpolation(release["version"]) == "var.karpenter_chart_version"
    values = release["values"][0]
    assert "karpenter.sh/controller" in values
    assert "module.karpenter.queue_name" in values
    (group,) = blocks(terraform, "module")["eks"]["eks_managed_node_groups"].values()
    assert group["labels"] == {"karpenter.sh/controller": "true"}
    karpenter = blocks(terraform, "module")["karpenter"]
    assert karpenter["create_pod_identity_association"] is True
    assert karpenter["node_iam_role_use_name_prefix"] is False


def test_node_class_finds_what_terraform_created(terraform, cluster_objects):
    name = blocks(terraform, "variable")["name"]["default"]
    node_class = one(cluster_objects, "EC2NodeClass", "default")["spec"]
    (locals_with_role,) = [e for e in terraform["locals"] if "karpenter_node_role_name" in e]
    assert locals_with_role["karpenter_node_role_name"] == "${var.name}-karpenter-node"
    assert node_class["role"] == f"{name}-karpenter-node"
    discovery = {"karpenter.sh/discovery": name}
    assert node_class["subnetSelectorTerms"] == [{"tags": discovery}]
    assert node_class["securityGroupSelectorTerms"] == [{"tags": discovery}]
    tagged = {"karpenter.sh/discovery": "${var.name}"}
    assert tagged.items() <= blocks(terraform, "module")["vpc"]["private_subnet_tags"].items()
    assert blocks(terraform, "module")["eks"]["node_security_group_tags"] == tagged


def test_karpenter_nodes_are_hardened_like_the_node_group(cluster_objects):
    node_class = one(cluster_objects, "EC2NodeClass", "default")["spec"]
    assert node_class["metadataOptions"]["httpTokens"] == "required"
    assert node_class["metadataOptions"]["httpPutResponseHopLimit"] == 1
    (disk,) = node_class["blockDeviceMappings"]
    assert disk["ebs"]["encrypted"] is True
    assert node_class["amiSelectorTerms"][0]["alias"].startswith("al2023@")


def test_node_pool_is_bounded_and_disrupts_one_node_at_a_time(cluster_objects):
    pool = one(cluster_objects, "NodePool", "default")["spec"]
    assert pool["template"]["spec"]["nodeClassRef"]["name"] == "default"
    requirements = {r["key"]: r for r in pool["template"]["spec"]["requirements"]}
    # The image is built for linux/amd64 (infra/README.md, "Image").
    assert requirements["kubernetes.io/arch"]["values"] == ["amd64"]
    assert {"cpu", "memory"} <= pool["limits"].keys()
    assert pool["disruption"]["budgets"] == [{"nodes": "1"}]


def test_cluster_objects_pass_strict_schema_validation(cluster_objects):
    errors = []
    for obj in cluster_objects:
        if obj["apiVersion"].startswith(("karpenter.sh/", "karpenter.k8s.aws/")):
            assert obj["apiVersion"] in {"karpenter.sh/v1", "karpenter.k8s.aws/v1"}
            continue
        try:
            kubernetes_validate.validate(obj, kubernetes_version(), strict=True)
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{obj['kind']}/{obj['metadata']['name']}: {error.message}")
    assert not errors, "\n".join(errors)
