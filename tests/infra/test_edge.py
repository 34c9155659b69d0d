"""The public edge: a fixed, protected, logged ALB behind WAF, with its certificate
and DNS in Terraform (infra/terraform/edge.tf, alb_logs.tf) and wired into the
Ingress through the eks overlay."""

from __future__ import annotations

import json

from tests.infra.helpers import K8S_DIR, blocks, one, strip_interpolation


def cluster_env() -> dict[str, str]:
    lines = (K8S_DIR / "overlays" / "eks" / "cluster.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def load_balancer_attributes(ingress: dict) -> dict[str, str]:
    raw = ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/load-balancer-attributes"]
    return dict(item.split("=", 1) for item in raw.split(","))


def locals_of(terraform: dict) -> dict:
    merged: dict = {}
    for entry in terraform["locals"]:
        merged.update(entry)
    return merged


def test_alb_has_the_fixed_name_terraform_looks_it_up_by(rendered, terraform):
    ingress = one(rendered["eks"], "Ingress", "expense-api")
    name = ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/load-balancer-name"]
    default_name = blocks(terraform, "variable")["name"]["default"]
    assert locals_of(terraform)["alb_name"] == "${var.name}-api"
    assert name == f"{default_name}-api" == cluster_env()["ALB_NAME"]
    assert len(name) <= 32  # the ALB name limit
    lookup = blocks(terraform, "data", "aws_lb")["api"]
    assert strip_interpolation(lookup["name"]) == "local.alb_name"


def test_alb_is_deletion_protected_and_logs_to_the_terraform_bucket(rendered, terraform):
    ingress = one(rendered["eks"], "Ingress", "expense-api")
    attributes = load_balancer_attributes(ingress)
    assert attributes["deletion_protection.enabled"] == "true"
    assert attributes["access_logs.s3.enabled"] == "true"
    assert attributes["access_logs.s3.bucket"] == cluster_env()["ALB_ACCESS_LOGS_BUCKET"]
    assert attributes["access_logs.s3.prefix"] == locals_of(terraform)["alb_logs_prefix"]
    assert attributes["idle_timeout.timeout_seconds"] == "120"


def test_waf_web_acl_is_attached_through_the_ingress(rendered, terraform):
    ingress = one(rendered["eks"], "Ingress", "expense-api")
    arn = ingress["metadata"]["annotations"]["alb.ingress.kubernetes.io/wafv2-acl-arn"]
    assert arn == cluster_env()["WAF_ACL_ARN"]
    assert arn.startswith("arn:aws:wafv2:")
    assert ":regional/webacl/" in arn
    template = blocks(terraform, "output")["eks_overlay_env"]["value"]
    assert "WAF_ACL_ARN=${aws_wafv2_web_acl.api.arn}" in template
    assert "ALB_ACCESS_LOGS_BUCKET=${aws_s3_bucket.alb_logs.bucket}" in template


def test_waf_runs_aws_managed_rules_and_rate_limits_sign_in(terraform):
    acl = blocks(terraform, "resource", "aws_wafv2_web_acl")["api"]
    assert acl["scope"] == "REGIONAL"
    rules = {rule["name"]: rule for rule in acl["rule"]}
    managed = {
        rule["statement"][0]["managed_rule_group_statement"][0]["name"]
        for rule in rules.values()
        if "managed_rule_group_statement" in rule["statement"][0]
    }
    assert managed == {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"}
    rate = rules["auth-rate-limit"]
    assert "block" in rate["action"][0]
    statement = rate["statement"][0]["rate_based_statement"][0]
    assert statement["aggregate_key_type"] == "IP"
    match = statement["scope_down_statement"][0]["byte_match_statement"][0]
    assert match["search_string"] == "/api/v1/auth/"
    assert match["positional_constraint"] == "STARTS_WITH"
    assert "uri_path" in match["field_to_match"][0]
    logging = blocks(terraform, "resource", "aws_wafv2_web_acl_logging_configuration")["api"]
    assert "aws_cloudwatch_log_group.waf.arn" in json.dumps(logging["log_destination_configs"])


def test_access_log_bucket_is_private_encrypted_and_expires_logs(terraform):
    resources = {kind: blocks(terraform, "resource", kind) for kind in (
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_policy",
    )}  # fmt: skip
    block = resources["aws_s3_bucket_public_access_block"]["alb_logs"]
    assert all(block[key] is True for key in (
        "block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"
    ))  # fmt: skip
    sse = resources["aws_s3_bucket_server_side_encryption_configuration"]["alb_logs"]
    algorithm = sse["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"]
    assert algorithm == "AES256"  # the only encryption ALB log delivery supports
    (rule,) = resources["aws_s3_bucket_lifecycle_configuration"]["alb_logs"]["rule"]
    assert rule["status"] == "Enabled"
    expiry = strip_interpolation(rule["expiration"][0]["days"])
    assert expiry == "var.alb_access_log_retention_days"
    assert rule["abort_incomplete_multipart_upload"][0]["days_after_initiation"] == 1
    policy = blocks(terraform, "data", "aws_iam_policy_document")["alb_logs"]
    denies = [s for s in policy["statement"] if s.get("effect") == "Deny"]
    assert denies
    assert denies[0]["condition"][0]["variable"] == "aws:SecureTransport"


def test_certificate_and_dns_are_terraform_managed_behind_a_zone_variable(terraform):
    variables = blocks(terraform, "variable")
    assert variables["route53_zone_id"]["default"] == ""
    certificate = blocks(terraform, "resource", "aws_acm_certificate")["api"]
    assert certificate["validation_method"] == "DNS"
    assert "local.manage_dns" in certificate["count"]
    records = blocks(terraform, "resource", "aws_route53_record")
    assert {"api_validation", "api"} <= records.keys()
    alias = records["api"]["alias"][0]
    assert strip_interpolation(alias["name"]) == "data.aws_lb.api[0].dns_name"
    assert locals_of(terraform)["manage_dns"] == '${var.route53_zone_id != ""}'
    template = blocks(terraform, "output")["eks_overlay_env"]["value"]
    assert "ACM_CERTIFICATE_ARN=${local.certificate_arn}" in template
