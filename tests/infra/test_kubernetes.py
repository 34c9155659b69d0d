"""The rendered overlays: schema-valid, hardened, and wired the way the runbook says."""

from __future__ import annotations

import json
import re

import kubernetes_validate
import pytest

from tests.infra.helpers import OVERLAYS, TERRAFORM_DIR, blocks, find, one, pod_specs

# Custom resources the bundled Kubernetes schemas cannot know.
CUSTOM_KINDS = {"ExternalSecret", "SecretStore"}
API_CONTAINERS = {"api", "migrate"}


def kubernetes_version() -> str:
    """The cluster version Terraform creates (variables.tf default), as x.y.0."""
    text = (TERRAFORM_DIR / "variables.tf").read_text()
    block = text.split('variable "kubernetes_version"', 1)[1]
    minor = re.search(r'default\s*=\s*"(1\.\d+)"', block).group(1)
    return f"{minor}.0"


def config_map(objects: list[dict]) -> dict[str, str]:
    (config,) = [
        obj
        for obj in find(objects, "ConfigMap")
        if obj["metadata"]["name"].startswith("expense-api-config")
    ]
    return config["data"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_the_whole_application(rendered, overlay):
    kinds = {obj["kind"] for obj in rendered[overlay]}
    expected = {
        "Namespace",
        "ServiceAccount",
        "ConfigMap",
        "Deployment",
        "Service",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "Job",
        "CronJob",
    }
    assert expected <= kinds
    extra = {
        "eks": {"Ingress", "SecretStore", "ExternalSecret"},
        "local": {"StatefulSet", "Secret"},
    }
    assert extra[overlay] <= kinds
    assert all(
        obj["metadata"].get("namespace") == "expense-tracker"
        for obj in rendered[overlay]
        if obj["kind"] != "Namespace"
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rendered_objects_pass_strict_schema_validation(rendered, overlay):
    version = kubernetes_version()
    errors = []
    for obj in rendered[overlay]:
        if obj["kind"] in CUSTOM_KINDS:
            assert obj["apiVersion"] == "external-secrets.io/v1"
            continue
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            errors.append(f"{obj['kind']}/{obj['metadata']['name']}: {error.message}")
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_is_hardened(rendered, overlay):
    for where, spec in pod_specs(rendered[overlay]):
        assert spec["automountServiceAccountToken"] is False, where
        pod_security = spec["securityContext"]
        assert pod_security["runAsNonRoot"] is True, where
        assert pod_security["runAsUser"] >= 10000, where
        assert pod_security["seccompProfile"]["type"] == "RuntimeDefault", where
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, where
            assert security["readOnlyRootFilesystem"] is True, where
            assert security["capabilities"]["drop"] == ["ALL"], where
            for bound in ("requests", "limits"):
                assert {"cpu", "memory"} <= container["resources"][bound].keys(), where
            mounts = {mount["mountPath"] for mount in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, f"{where}: a read-only root needs a writable /tmp"  # noqa: S108


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_images_are_pinned(rendered, overlay):
    for where, spec in pod_specs(rendered[overlay]):
        for container in spec["containers"]:
            image = container["image"]
            assert "@sha256:" in image or re.search(r":[\w][\w.-]*$", image), f"{where}: {image}"
            assert not image.endswith(":latest"), where
    deployment = one(rendered[overlay], "Deployment", "expense-api")
    job = one(rendered[overlay], "Job", "expense-api-migrate")
    image = deployment["spec"]["template"]["spec"]["containers"][0]["image"]
    assert job["spec"]["template"]["spec"]["containers"][0]["image"] == image
    cron = one(rendered[overlay], "CronJob", "expense-rates-fetch")
    cron_pod = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert cron_pod["containers"][0]["image"] == image
    if overlay == "eks":
        assert re.match(r"^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/", image)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_api_probes_and_graceful_shutdown(rendered, overlay):
    deployment = one(rendered[overlay], "Deployment", "expense-api")
    spec = deployment["spec"]["template"]["spec"]
    (api,) = spec["containers"]
    assert deployment["spec"]["replicas"] >= 2
    assert api["args"] == ["serve", "--host", "0.0.0.0", "--port", "8000"]  # noqa: S104
    assert api["ports"] == [{"name": "http", "containerPort": 8000, "protocol": "TCP"}]
    assert api["startupProbe"]["httpGet"]["path"] == "/health"
    assert api["livenessProbe"]["httpGet"]["path"] == "/health"
    assert api["readinessProbe"]["httpGet"]["path"] == "/ready"
    # The server drains for SHUTDOWN_GRACE_SECONDS after SIGTERM, which comes
    # after the preStop sleep; the kubelet must not kill it before both end.
    pre_stop = api["lifecycle"]["preStop"]["sleep"]["seconds"]
    drain = int(config_map(rendered[overlay])["SHUTDOWN_GRACE_SECONDS"])
    assert spec["terminationGracePeriodSeconds"] > pre_stop + drain
    # /ready answers within DB_TIMEOUT_SECONDS; the probe waits at least that.
    db_timeout = float(config_map(rendered[overlay])["DB_TIMEOUT_SECONDS"])
    assert api["readinessProbe"]["timeoutSeconds"] > db_timeout
    keys = {constraint["topologyKey"] for constraint in spec["topologySpreadConstraints"]}
    assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_api_keeps_two_pods_through_scaling_and_drains(rendered, overlay):
    objects = rendered[overlay]
    labels = one(objects, "Deployment", "expense-api")["spec"]["selector"]["matchLabels"]
    hpa = one(objects, "HorizontalPodAutoscaler", "expense-api")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "expense-api"
    assert hpa["spec"]["minReplicas"] >= 2
    pdb = one(objects, "PodDisruptionBudget", "expense-api")
    assert pdb["spec"]["selector"]["matchLabels"] == labels
    assert pdb["spec"]["maxUnavailable"] == 1
    service = one(objects, "Service", "expense-api")
    assert service["spec"]["type"] == "ClusterIP"
    assert service["spec"]["selector"] == labels
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_eks_ingress_is_an_https_alb_routing_api(rendered):
    objects = rendered["eks"]
    ingress = one(objects, "Ingress", "expense-api")
    notes = ingress["metadata"]["annotations"]
    assert ingress["spec"]["ingressClassName"] == "alb"
    assert notes["alb.ingress.kubernetes.io/scheme"] == "internet-facing"
    assert notes["alb.ingress.kubernetes.io/target-type"] == "ip"
    assert notes["alb.ingress.kubernetes.io/ssl-redirect"] == "443"
    listeners = json.loads(notes["alb.ingress.kubernetes.io/listen-ports"])
    assert {"HTTP": 80} in listeners
    assert {"HTTPS": 443} in listeners
    assert notes["alb.ingress.kubernetes.io/certificate-arn"].startswith("arn:aws:acm:")
    assert notes["alb.ingress.kubernetes.io/healthcheck-path"] == "/health"
    # The ALB's deregistration delay ends within the pod's preStop + drain.
    delay = int(
        notes["alb.ingress.kubernetes.io/target-group-attributes"].split(
            "deregistration_delay.timeout_seconds="
        )[1]
    )
    spec = one(objects, "Deployment", "expense-api")["spec"]["template"]["spec"]
    assert delay < spec["terminationGracePeriodSeconds"]
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] != "api.example.invalid"
    (path,) = rule["http"]["paths"]
    assert (path["path"], path["pathType"]) == ("/api", "Prefix")
    assert path["backend"]["service"] == {"name": "expense-api", "port": {"name": "http"}}


def test_local_overlay_has_no_alb_ingress(rendered):
    assert not find(rendered["local"], "Ingress")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_namespace_enforces_restricted_pods_and_alb_readiness_gates(rendered, overlay):
    labels = one(rendered[overlay], "Namespace", "expense-tracker")["metadata"]["labels"]
    assert labels["elbv2.k8s.aws/pod-readiness-gate-inject"] == "enabled"
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_allow_only_the_api_port_in_and_dns_and_postgres_out(rendered, overlay):
    objects = rendered[overlay]
    deny = one(objects, "NetworkPolicy", "default-deny-all")["spec"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny
    api = one(objects, "NetworkPolicy", "expense-api")["spec"]
    assert api["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "expense-api"}
    inbound = [port for rule in api["ingress"] for port in rule["ports"]]
    assert inbound == [{"protocol": "TCP", "port": 8000}]
    outbound = {
        (port["protocol"], port["port"]) for rule in api["egress"] for port in rule["ports"]
    }
    assert outbound == {("UDP", 53), ("TCP", 53), ("TCP", 5432)}
    # Both workloads of the API are covered by that policy.
    for name, kind in (("expense-api", "Deployment"), ("expense-api-migrate", "Job")):
        labels = one(objects, kind, name)["spec"]["template"]["metadata"]["labels"]
        assert labels["app.kubernetes.io/name"] == "expense-api"


def _selects(selector: dict, labels: dict) -> bool:
    return all(labels.get(key) == value for key, value in selector["matchLabels"].items())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_only_the_rates_pods_may_reach_the_internet_and_only_over_https(rendered, overlay):
    objects = rendered[overlay]
    cron = one(objects, "CronJob", "expense-rates-fetch")
    rates_labels = cron["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    server_labels = one(objects, "Deployment", "expense-api")["spec"]["template"]["metadata"]
    migrate_labels = one(objects, "Job", "expense-api-migrate")["spec"]["template"]["metadata"]
    internet = []
    for policy in find(objects, "NetworkPolicy"):
        for rule in policy["spec"].get("egress", []):
            blocks = [peer["ipBlock"] for peer in rule.get("to", []) if "ipBlock" in peer]
            if any(block["cidr"] == "0.0.0.0/0" for block in blocks):
                internet.append((policy, rule, blocks))
    assert len(internet) == 1
    policy, rule, blocks = internet[0]
    selector = policy["spec"]["podSelector"]
    assert _selects(selector, rates_labels)
    assert not _selects(selector, server_labels["labels"])
    assert not _selects(selector, migrate_labels["labels"])
    assert policy["spec"]["policyTypes"] == ["Egress"]
    assert rule["ports"] == [{"protocol": "TCP", "port": 443}]
    # Not into the cluster, the VPC or the instance metadata service.
    assert {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"} <= set(
        blocks[0]["except"]
    )
    # The rates pods still get DNS and PostgreSQL from the API's policy.
    assert _selects(
        one(objects, "NetworkPolicy", "expense-api")["spec"]["podSelector"], rates_labels
    )


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_rates_cronjob_fetches_daily_one_run_at_a_time(rendered, overlay):
    cron = one(rendered[overlay], "CronJob", "expense-rates-fetch")
    spec = cron["spec"]
    assert len(spec["schedule"].split()) == 5
    assert spec["schedule"].split()[2:] == ["*", "*", "*"]  # every day
    assert spec["concurrencyPolicy"] == "Forbid"
    job = spec["jobTemplate"]["spec"]
    assert job["backoffLimit"] <= 5
    assert job["activeDeadlineSeconds"] > 0
    pod = job["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    assert pod["containers"][0]["args"] == ["rates", "fetch"]
    assert config_map(rendered[overlay])["RATES_URL"].startswith("https://")
    # deploy.sh applies everything but the server first.
    assert cron["metadata"]["labels"]["app.kubernetes.io/component"] != "server"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migration_job_runs_migrate_once(rendered, overlay):
    job = one(rendered[overlay], "Job", "expense-api-migrate")
    spec = job["spec"]["template"]["spec"]
    assert spec["restartPolicy"] == "Never"
    assert spec["containers"][0]["args"] == ["migrate"]
    assert job["spec"]["backoffLimit"] <= 5
    assert job["spec"]["activeDeadlineSeconds"] > 0
    # deploy.sh applies everything but the server first, then the server.
    assert job["metadata"]["labels"]["app.kubernetes.io/component"] != "server"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_service_account_mounts_no_token(rendered, overlay):
    account = one(rendered[overlay], "ServiceAccount", "expense-api")
    assert account["automountServiceAccountToken"] is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_referenced_secret_key_is_provided(rendered, overlay):
    objects = rendered[overlay]
    provided: dict[str, set[str]] = {
        obj["metadata"]["name"]: set(obj.get("data", {})) for obj in find(objects, "Secret")
    }
    for external in find(objects, "ExternalSecret"):
        target = external["spec"]["target"]
        provided[target["name"]] = set(target["template"]["data"])
    for where, spec in pod_specs(objects):
        for container in spec["containers"]:
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["key"] in provided.get(ref["name"], set()), (where, ref)
        for volume in spec.get("volumes", []):
            if "secret" in volume:
                assert volume["secret"]["secretName"] in provided, (where, volume)


def cluster_env() -> dict[str, str]:
    lines = (TERRAFORM_DIR.parent / "k8s" / "overlays" / "eks" / "cluster.env").read_text()
    return dict(line.split("=", 1) for line in lines.splitlines() if "=" in line)


def secret_source(objects: list[dict], external_secret: str) -> dict[str, dict]:
    external = one(objects, "ExternalSecret", external_secret)
    return {item["secretKey"]: item["remoteRef"] for item in external["spec"]["data"]}


def test_api_logs_in_as_the_app_role_never_the_master(rendered):
    objects = rendered["eks"]
    env = cluster_env()
    api = secret_source(objects, "expense-api-secrets")
    assert api["db_username"]["key"] == env["DB_APP_SECRET_NAME"]
    assert api["db_password"]["key"] == env["DB_APP_SECRET_NAME"]
    migrator = secret_source(objects, "expense-api-migrator")
    assert migrator["db_username"]["key"] == env["DB_MIGRATOR_SECRET_NAME"]
    # The master login is in one Secret, which only the db-bootstrap Job reads.
    master = env["DB_MASTER_SECRET_ARN"]
    assert ":secret:rds!" in master
    holders = {
        external["metadata"]["name"]
        for external in find(objects, "ExternalSecret")
        if master in json.dumps(external["spec"])
    }
    assert holders == {"expense-db-bootstrap"}
    readers = {
        where
        for where, spec in pod_specs(objects)
        if "expense-db-bootstrap" in json.dumps(spec.get("containers"))
    }
    assert readers == {"Job/expense-db-bootstrap"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migration_runs_as_the_schema_owner_and_the_api_as_the_app(rendered, overlay):
    objects = rendered[overlay]

    def database_secret(kind: str, name: str) -> str:
        (container,) = one(objects, kind, name)["spec"]["template"]["spec"]["containers"]
        (url,) = [item for item in container["env"] if item["name"] == "DATABASE_URL"]
        return url["valueFrom"]["secretKeyRef"]["name"]

    # The local overlay generates them (a content hash suffix), eks syncs them.
    api_secret = database_secret("Deployment", "expense-api")
    migrator_secret = database_secret("Job", "expense-api-migrate")
    assert re.fullmatch(r"expense-api-secrets(-[a-z0-9]{10})?", api_secret)
    assert re.fullmatch(r"expense-api-migrator(-[a-z0-9]{10})?", migrator_secret)


def test_database_urls_verify_the_server_against_the_bundled_rds_ca(rendered, terraform):
    objects = rendered["eks"]
    bundle_path = None
    for entry in terraform["locals"]:
        bundle_path = entry.get("rds_ca_bundle_path", bundle_path)
    dockerfile = (TERRAFORM_DIR.parents[1] / "packaging" / "api" / "Dockerfile").read_text()
    assert f"/opt/rds/global-bundle.pem {bundle_path}" in dockerfile
    version = blocks(terraform, "resource", "aws_secretsmanager_secret_version")["db_connection"]
    assert '"verify-full"' in version["secret_string"]
    assert "local.rds_ca_bundle_path" in version["secret_string"]
    for name, key in (
        ("expense-api-secrets", "DATABASE_URL"),
        ("expense-api-migrator", "DATABASE_URL"),
        ("expense-db-bootstrap", "MASTER_DATABASE_URL"),
    ):
        external = one(objects, "ExternalSecret", name)
        url = external["spec"]["target"]["template"]["data"][key]
        assert url.startswith("postgresql://"), name
        assert "sslmode={{ .db_sslmode }}&sslrootcert={{ .db_sslrootcert }}" in url, name
        assert "| urlquery }}@" in url, name  # passwords may hold reserved characters
        (source,) = external["spec"]["dataFrom"]
        assert source["extract"]["key"] == cluster_env()["DB_CONNECTION_SECRET_NAME"], name
    assert "set-from-cluster-env" not in json.dumps(find(objects, "ExternalSecret"))


def test_db_bootstrap_runs_before_the_migration_in_the_api_image(rendered):
    objects = rendered["eks"]
    job = one(objects, "Job", "expense-db-bootstrap")
    labels = job["metadata"]["labels"]
    assert labels["app.kubernetes.io/component"] not in {"server", "migration"}
    (container,) = job["spec"]["template"]["spec"]["containers"]
    migrate = one(objects, "Job", "expense-api-migrate")["spec"]["template"]["spec"]
    assert container["image"] == migrate["containers"][0]["image"]
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert (env["APP_ROLE"], env["MIGRATOR_ROLE"]) == ("expense_app", "expense_migrator")
    script = container["command"][-1]
    mounts = {mount["mountPath"] for mount in container["volumeMounts"]}
    assert script.rsplit("/", 1)[0] in mounts


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_prune_cronjob_runs_daily_once_at_a_time_as_the_api(rendered, overlay):
    objects = rendered[overlay]
    cron = one(objects, "CronJob", "expense-api-prune")
    spec = cron["spec"]
    minute, hour, *every_day = spec["schedule"].split()
    assert every_day == ["*", "*", "*"]
    assert minute.isdigit()
    assert hour.isdigit()
    assert spec["timeZone"] == "Etc/UTC"
    assert spec["concurrencyPolicy"] == "Forbid"
    assert spec["startingDeadlineSeconds"] > 0
    job = spec["jobTemplate"]["spec"]
    assert job["activeDeadlineSeconds"] > 0
    assert job["backoffLimit"] <= 3
    pod = job["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    (container,) = pod["containers"]
    assert container["args"] == ["prune"]
    api = one(objects, "Deployment", "expense-api")["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == api["image"]
    # Deleting rows is DML: the API's login, never the migrator's or the master's.
    (url,) = [item for item in container["env"] if item["name"] == "DATABASE_URL"]
    api_url = next(item for item in api["env"] if item["name"] == "DATABASE_URL")
    assert url["valueFrom"] == api_url["valueFrom"]
    # Covered by the API's NetworkPolicy (DNS and PostgreSQL out, nothing else).
    labels = job["template"]["metadata"]["labels"]
    assert labels["app.kubernetes.io/name"] == "expense-api"
    assert labels["app.kubernetes.io/component"] not in {"server", "migration"}
