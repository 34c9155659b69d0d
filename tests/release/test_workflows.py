"""The CI/CD workflows, checked offline: linters, pinning, permissions, and that
the release workflow targets only images, roles, objects and paths this
repository defines."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import hcl2
import pytest

from tests.release.helpers import (
    ARGOCD,
    DOCKERFILE,
    EKS_OVERLAY,
    RELEASE_RENDER,
    REPO,
    TERRAFORM,
    WORKFLOWS,
    render,
    run,
    tool,
    workflow,
)

WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$")
VERSION = "9.8.7"  # what a release would pin; any version will do
DIGEST = "sha256:" + "ab" * 32


def uses_lines(path: Path) -> list[str]:
    return [
        match.group(1).strip()
        for match in re.finditer(r"^\s*(?:-\s+)?uses:\s*(.+)$", path.read_text(), re.MULTILINE)
    ]


def test_there_are_ci_release_and_bundle_workflows():
    assert {path.name for path in WORKFLOW_FILES} >= {"ci.yml", "release.yml", "bundle.yml"}


def test_workflows_pass_actionlint():
    run([tool("actionlint"), *map(str, WORKFLOW_FILES)], cwd=REPO)


def test_workflows_pass_zizmor():
    # Offline: the audits that need GitHub's API (e.g. impostor commits) are
    # left to a run with a token.
    run([tool("zizmor"), "--offline", "--no-progress", str(WORKFLOWS)], cwd=REPO)


def test_dockerfile_passes_hadolint():
    config = Path(__file__).with_name("hadolint.yaml")
    run([tool("hadolint"), "--config", str(config), str(DOCKERFILE)])


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_actions_are_pinned_by_commit_with_the_version_beside_it(path):
    for uses in uses_lines(path):
        if uses.startswith("$/"):  # this repository's own reusable workflow
            assert (REPO / uses.removeprefix("$/")).is_file(), uses
            continue
        assert PINNED_ACTION.match(uses), f"{path.name}: `{uses}` is not pinned by commit SHA"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_permissions_are_granted_per_job_and_nothing_by_default(path):
    spec = workflow(path.name)
    assert spec["permissions"] == {}, f"{path.name}: top-level permissions must be {{}}"
    for name, job in spec["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} must declare its permissions"


def test_only_the_release_jobs_may_write_or_mint_cloud_tokens():
    writers = {}
    for path in WORKFLOW_FILES:
        for name, job in workflow(path.name)["jobs"].items():
            for scope, level in (job.get("permissions") or {}).items():
                if level == "write":
                    writers.setdefault(f"{path.name}:{name}", set()).add(scope)
    assert writers == {
        "release.yml:image": {"id-token"},
        "release.yml:verify": {"id-token"},
        "release.yml:deploy": {"id-token"},
        # GitOps: the deploy commit and its revert; neither can reach AWS.
        "release.yml:promote": {"contents"},
        "release.yml:rollback": {"contents"},
        "release.yml:publish": {"contents"},
    }


def test_jobs_with_cloud_tokens_run_in_the_environment_the_role_trusts():
    variables = terraform_blocks("variable")
    environment = variables["github_release_environment"]["default"]
    for name in ("image", "verify", "deploy"):
        assert workflow("release.yml")["jobs"][name]["environment"] == environment


def test_ci_runs_make_test_and_builds_bundles_and_the_image():
    jobs = workflow("ci.yml")["jobs"]
    assert any("bash .ci/run" in step.get("run", "") for step in jobs["test"]["steps"])
    assert jobs["bundles"]["uses"] == "$/.github/workflows/bundle.yml"
    image_steps = str(jobs["image"]["steps"])
    assert "packaging/api/Dockerfile" in image_steps
    assert "--exit-code 1" in image_steps  # the scan fails the build


def test_bundles_are_built_on_windows_macos_and_linux_and_uploaded():
    job = workflow("bundle.yml")["jobs"]["bundle"]
    systems = {os.split("-")[0] for os in job["strategy"]["matrix"]["os"]}
    assert systems == {"ubuntu", "windows", "macos"}
    steps = str(job["steps"])
    assert "packaging/desktop/expense-tracker.spec" in steps
    assert "actions/upload-artifact@" in steps


def test_release_attaches_the_three_bundles():
    release = workflow("release.yml")["jobs"]
    assert release["bundles"]["uses"] == "$/.github/workflows/bundle.yml"
    publish = release["publish"]
    assert {"bundles", "deploy"} <= set(publish["needs"])
    assert "desktop-*" in str(publish["steps"])
    assert "gh release create" in str(publish["steps"])


# --- The release workflow's targets exist in this repository ---------------


def test_paths_named_in_workflows_exist():
    text = "\n".join(path.read_text() for path in WORKFLOW_FILES)
    candidates = set(
        re.findall(r"(?<![\w./$-])((?:\.ci|\.github|packaging|infra|docs)/[\w./-]*[\w])", text)
    )
    assert candidates, "no repository paths found in the workflows"
    missing = sorted(path for path in candidates if not (REPO / path).exists())
    assert not missing, f"workflows name paths that do not exist: {missing}"
    overlay = workflow("release.yml")["env"]["OVERLAY"]
    assert (REPO / overlay) == EKS_OVERLAY
    assert (EKS_OVERLAY / "kustomization.yaml").is_file()
    assert (EKS_OVERLAY / "cluster.env").is_file()


def terraform_file(path: Path) -> dict[str, list]:
    from hcl2.utils import SerializationOptions

    options = SerializationOptions(
        with_comments=False, explicit_blocks=False, strip_string_quotes=True
    )
    with path.open() as handle:
        return hcl2.load(handle, serialization_options=options)


def terraform_blocks(kind: str) -> dict[str, dict]:
    """{label: body} of every block of one kind (variable, output) in infra/terraform."""
    found: dict[str, dict] = {}
    for path in sorted(TERRAFORM.glob("*.tf")):
        for entry in terraform_file(path).get(kind, []):
            found.update(entry)
    return found


def test_release_role_is_the_terraform_output_the_workflow_reads():
    text = (WORKFLOWS / "release.yml").read_text()
    assert set(re.findall(r"vars\.(\w+)", text)) == {
        "AWS_RELEASE_ROLE_ARN",
        "EKS_CLUSTER_NAME",
        "RELEASE_DEPLOY",
    }
    output = terraform_blocks("output")["github_release_role_arn"]
    assert "aws_iam_role.github_release.arn" in output["value"]
    assert "AWS_RELEASE_ROLE_ARN" in output["description"]
    assert "module.eks.cluster_name" in terraform_blocks("output")["cluster_name"]["value"]
    runbook = (REPO / "docs" / "RELEASING.md").read_text()
    for variable in ("AWS_RELEASE_ROLE_ARN", "EKS_CLUSTER_NAME", "RELEASE_DEPLOY"):
        assert variable in runbook, f"docs/RELEASING.md does not explain vars.{variable}"


def test_release_role_is_least_privilege():
    text = (TERRAFORM / "github_oidc.tf").read_text()
    # One repository's one environment, GitHub's audience for STS.
    assert ':sub"' in text
    assert "repo:${var.github_repository}:environment:${var.github_release_environment}" in text
    assert '["sts.amazonaws.com"]' in text
    # Push to the one repository; describe the one cluster.
    assert "resources = [aws_ecr_repository.api.arn]" in text
    assert "resources = [module.eks.cluster_arn]" in text
    assert re.search(r'resources\s*=\s*\["\*"\]', text).start() < text.index("EcrPushApiImage")
    assert "max_session_duration = 3600" in text
    # No AWS-managed cluster policy (AmazonEKSEditPolicy reads Secrets and
    # execs into pods): a group bound to our own Role, for the push path only.
    assert "cluster-access-policy" not in text
    assert "count = var.release_push_deploy ? 1 : 0" in text
    assert "kubernetes_groups = [local.release_kubernetes_group]" in text
    variables = terraform_blocks("variable")
    assert variables["release_push_deploy"]["default"] is False


def release_role(objects: list[dict]) -> tuple[dict, dict]:
    (role,) = [doc for doc in objects if doc["kind"] == "Role"]
    (binding,) = [doc for doc in objects if doc["kind"] == "RoleBinding"]
    return role, binding


def test_in_cluster_release_role_reads_no_secrets_and_cannot_exec():
    role, binding = release_role(render(EKS_OVERLAY))
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    (subject,) = binding["subjects"]
    group = re.search(
        r'release_kubernetes_group\s*=\s*"([^"]+)"', (TERRAFORM / "github_oidc.tf").read_text()
    )
    assert subject == {
        "kind": "Group",
        "name": group.group(1),
        "apiGroup": "rbac.authorization.k8s.io",
    }
    forbidden = {"secrets", "pods/exec", "pods/attach", "pods/portforward", "*"}
    for rule in role["rules"]:
        assert not forbidden & set(rule["resources"]), rule
        assert "*" not in rule["verbs"]
        assert not {"escalate", "bind", "impersonate"} & set(rule["verbs"])
        assert "rbac.authorization.k8s.io" not in rule["apiGroups"]
    assert role["metadata"]["namespace"] == workflow("release.yml")["env"]["NAMESPACE"]


@pytest.fixture(scope="module")
def release_manifests(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """The release render exactly as the deploy job makes it, in a copy."""
    work = tmp_path_factory.mktemp("release")
    shutil.copytree(REPO / "infra", work / "infra")
    shutil.copytree(RELEASE_RENDER, work / ".github" / "release")
    repository = overlay_image_repository()
    with (work / ".github" / "release" / "kustomization.yaml").open("a") as handle:
        handle.write(
            f'images:\n  - name: {repository}\n    newTag: "{VERSION}"\n    digest: "{DIGEST}"\n'
        )
    return render(work / ".github" / "release")


def overlay_image_repository() -> str:
    import yaml

    kustomization = yaml.safe_load((EKS_OVERLAY / "kustomization.yaml").read_text())
    (entry,) = [image for image in kustomization["images"] if image["name"] == "expense-api"]
    return entry["newName"]


def test_release_image_is_the_terraform_ecr_repository():
    repository = overlay_image_repository()
    assert re.fullmatch(r"\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/[a-z0-9/_-]+", repository)
    ecr = terraform_file(TERRAFORM / "ecr.tf")["resource"]
    (api,) = [block["aws_ecr_repository"]["api"] for block in ecr if "aws_ecr_repository" in block]
    name_default = terraform_blocks("variable")["name"]["default"]
    assert repository.split("/", 1)[1] == api["name"].replace("${var.name}", name_default)


def test_release_render_pins_every_image_to_the_released_tag(release_manifests):
    images = {
        container["image"]
        for doc in release_manifests
        if doc["kind"] in {"Deployment", "Job"}
        for container in doc["spec"]["template"]["spec"]["containers"]
    }
    # The digest cosign verified decides what runs (the tag is informational).
    assert images == {f"{overlay_image_repository()}:{VERSION}@{DIGEST}"}
    (render_step,) = [
        step for step in workflow("release.yml")["jobs"]["deploy"]["steps"]
        if step.get("name") == "Render"
    ]  # fmt: skip
    assert 'digest: "%s"' in render_step["run"]


def test_release_render_names_the_objects_the_workflow_drives(release_manifests):
    env = workflow("release.yml")["env"]
    by_kind = {(doc["kind"], doc["metadata"]["name"]): doc for doc in release_manifests}
    deployment = by_kind[("Deployment", env["DEPLOYMENT"])]
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert env["CONTAINER"] in {container["name"] for container in containers}
    assert ("Job", env["MIGRATION_JOB"]) in by_kind
    assert {doc["metadata"].get("namespace") for doc in release_manifests} == {env["NAMESPACE"]}
    namespace_in_terraform = (TERRAFORM / "main.tf").read_text()
    assert f'app_namespace       = "{env["NAMESPACE"]}"' in namespace_in_terraform


def test_release_render_leaves_out_what_the_role_may_not_change(release_manifests):
    kinds = {doc["kind"] for doc in release_manifests}
    assert not kinds & {"Namespace", "ExternalSecret", "SecretStore", "Role", "RoleBinding"}
    # The one workload that reads the master login stays with Argo CD/deploy.sh.
    jobs = {doc["metadata"]["name"] for doc in release_manifests if doc["kind"] == "Job"}
    assert jobs == {workflow("release.yml")["env"]["MIGRATION_JOB"]}
    assert {"Deployment", "Job", "ConfigMap", "Service", "Ingress"} <= kinds


def test_release_applies_the_migration_before_the_server(release_manifests):
    def component(doc: dict) -> str | None:
        return doc["metadata"].get("labels", {}).get("app.kubernetes.io/component")

    first = {doc["kind"] for doc in release_manifests if component(doc) != "server"}
    second = {doc["kind"] for doc in release_manifests if component(doc) == "server"}
    assert "Job" in first
    assert "ConfigMap" in first  # the Job's configuration exists before it runs
    assert "Deployment" in second
    assert "Deployment" not in first
    steps = workflow("release.yml")["jobs"]["deploy"]["steps"]
    names = [step.get("name") for step in steps]
    assert (
        names.index("Migrate")
        < names.index("Roll out")
        < names.index("Smoke test /api/v1/version through the ALB")
    )
    smoke = steps[names.index("Smoke test /api/v1/version through the ALB")]["run"]
    # The Ingress routes /api only: a probe path at the root is the ALB's 404.
    assert "https://$API_HOST/api/v1/version" in smoke
    assert '"$VERSION"' in smoke


# --- GitOps -----------------------------------------------------------------


@pytest.fixture(scope="module")
def argocd_objects() -> dict[tuple[str, str], dict]:
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in render(ARGOCD)}


def test_argocd_application_tracks_the_eks_overlay(argocd_objects):
    app = argocd_objects[("Application", "expense-tracker")]
    project = argocd_objects[("AppProject", app["spec"]["project"])]
    source = app["spec"]["source"]
    assert REPO / source["path"] == EKS_OVERLAY
    assert source["repoURL"] in project["spec"]["sourceRepos"]
    assert app["spec"]["project"] == project["metadata"]["name"]
    assert app["spec"]["destination"]["namespace"] == workflow("release.yml")["env"]["NAMESPACE"]
    automated = app["spec"]["syncPolicy"]["automated"]
    assert automated == {"prune": True, "selfHeal": True}


def test_argocd_patches_order_the_migration_before_the_deployment(argocd_objects, tmp_path):
    """Argo CD applies the Application's kustomize patches to the overlay; the
    same patches through kubectl must hit the Job and the Deployment."""
    shutil.copytree(REPO / "infra", tmp_path / "infra")
    wrapper = tmp_path / "argocd-render"
    wrapper.mkdir()
    import yaml

    app = argocd_objects[("Application", "expense-tracker")]
    patches = app["spec"]["source"]["kustomize"]["patches"]
    (wrapper / "kustomization.yaml").write_text(
        yaml.safe_dump({"resources": ["../infra/k8s/overlays/eks"], "patches": patches})
    )
    docs = {(doc["kind"], doc["metadata"]["name"]): doc for doc in render(wrapper)}
    job = docs[("Job", "expense-api-migrate")]["metadata"]["annotations"]
    bootstrap = docs[("Job", "expense-db-bootstrap")]["metadata"]["annotations"]
    deployment = docs[("Deployment", "expense-api")]["metadata"]["annotations"]
    assert bootstrap["argocd.argoproj.io/hook"] == "Sync"
    assert int(bootstrap["argocd.argoproj.io/sync-wave"]) < int(job["argocd.argoproj.io/sync-wave"])
    assert job["argocd.argoproj.io/hook"] == "Sync"
    assert job["argocd.argoproj.io/hook-delete-policy"] == "BeforeHookCreation"
    assert int(job["argocd.argoproj.io/sync-wave"]) < int(
        deployment["argocd.argoproj.io/sync-wave"]
    )
