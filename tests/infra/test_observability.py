"""Logs, metrics and alarms (infra/terraform/observability.tf, alarms.tf): pod logs
shipped, /metrics scraped from the pods the manifests run, alarms to SNS."""

from __future__ import annotations

import re
import subprocess
import textwrap

import pytest
import yaml

from tests.infra.helpers import CLUSTER_DIR, TERRAFORM_DIR, blocks, one, strip_interpolation

ALARMS = {
    "alb_5xx_rate",
    "alb_unhealthy_targets",
    "alb_p99_latency",
    "db_cpu",
    "db_free_storage",
    "db_connections",
}


@pytest.fixture(scope="module")
def scrape_config(terraform) -> dict:
    scraper = blocks(terraform, "resource", "aws_prometheus_scraper")["api"]
    # A heredoc (<<-EOT ... EOT), indented in the file; YAML after dedenting.
    text = textwrap.dedent(scraper["scrape_configuration"].split("\n", 1)[1].rsplit("EOT", 1)[0])
    return yaml.safe_load(text.replace("${local.app_namespace}", "expense-tracker"))


def test_pod_logs_go_to_encrypted_expiring_log_groups(terraform):
    addon = blocks(terraform, "module")["eks"]["addons"]["amazon-cloudwatch-observability"]
    (association,) = addon["pod_identity_association"]
    assert association["service_account"] == "cloudwatch-agent"
    role = strip_interpolation(association["role_arn"])
    assert role == "module.cloudwatch_observability_pod_identity.iam_role_arn"
    assert "containerLogs = {enabled = true}" in addon["configuration_values"]
    groups = blocks(terraform, "resource", "aws_cloudwatch_log_group")["container_insights"]
    assert groups["name"] == "/aws/containerinsights/${var.name}/${each.key}"
    assert strip_interpolation(groups["kms_key_id"]) == "aws_kms_key.app.arn"
    assert strip_interpolation(groups["retention_in_days"]) == "var.pod_log_retention_days"


def test_metrics_are_scraped_from_the_api_server_pods(rendered, scrape_config):
    (job,) = scrape_config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    (discovery,) = job["kubernetes_sd_configs"]
    assert discovery["role"] == "pod"
    deployment = one(rendered["eks"], "Deployment", "expense-api")
    assert discovery["namespaces"]["names"] == [deployment["metadata"]["namespace"]]
    rules = job["relabel_configs"]
    keep_labels, keep_port = [rule for rule in rules if rule.get("action") == "keep"]
    # Prometheus names a pod label __meta_kubernetes_pod_label_<name, non-alphanumerics as _>.
    labels = {
        "__meta_kubernetes_pod_label_" + re.sub(r"[^A-Za-z0-9_]", "_", key): value
        for key, value in deployment["spec"]["template"]["metadata"]["labels"].items()
    }
    values = [labels[name] for name in keep_labels["source_labels"]]
    assert re.fullmatch(keep_labels["regex"], ";".join(values))
    ports = {
        port["name"] for port in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]
    }
    assert keep_port["regex"] in ports


def test_scraper_reads_the_cluster_read_only_as_the_mapped_user(terraform):
    entry = blocks(terraform, "resource", "aws_eks_access_entry")["prometheus_scraper"]
    result = subprocess.run(
        ["kubectl", "kustomize", str(CLUSTER_DIR)], capture_output=True, text=True, check=True
    )
    objects = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    binding = one(objects, "ClusterRoleBinding", "aps-collector-user-role-binding")
    assert binding["subjects"] == [
        {"kind": "User", "name": entry["user_name"], "apiGroup": "rbac.authorization.k8s.io"}
    ]
    role = one(objects, "ClusterRole", binding["roleRef"]["name"])
    for rule in role["rules"]:
        assert set(rule["verbs"]) <= {"get", "list", "watch"}
        assert not {"secrets", "configmaps"} & set(rule.get("resources", []))


def test_alarms_cover_the_alb_and_the_database_and_notify_sns(terraform):
    alarms = blocks(terraform, "resource", "aws_cloudwatch_metric_alarm")
    assert set(alarms) == ALARMS
    for name, alarm in alarms.items():
        assert [strip_interpolation(a) for a in alarm["alarm_actions"]] == [
            "aws_sns_topic.alarms.arn"
        ], name
    metrics = {name: alarm.get("metric_name") for name, alarm in alarms.items()}
    assert metrics["db_cpu"] == "CPUUtilization"
    assert metrics["db_free_storage"] == "FreeStorageSpace"
    assert metrics["db_connections"] == "DatabaseConnections"
    assert metrics["alb_unhealthy_targets"] == "UnHealthyHostCount"
    assert metrics["alb_p99_latency"] == "TargetResponseTime"
    assert alarms["alb_p99_latency"]["extended_statistic"] == "p99"
    text = (TERRAFORM_DIR / "alarms.tf").read_text()
    rate = text[text.index('"alb_5xx_rate"') : text.index('"alb_unhealthy_targets"')]
    for metric in ("HTTPCode_Target_5XX_Count", "HTTPCode_ELB_5XX_Count", "RequestCount"):
        assert metric in rate
    topic = blocks(terraform, "resource", "aws_sns_topic")["alarms"]
    assert strip_interpolation(topic["kms_master_key_id"]) == "aws_kms_key.app.id"
