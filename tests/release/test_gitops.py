"""The default release path is GitOps (Argo CD installed by Terraform), every
deployed image is signed and verified first, and a failed smoke test rolls back
by itself; the kubectl path is an option for a runner inside the VPC."""

from __future__ import annotations

import re

import yaml

from tests.release.helpers import ARGOCD, EKS_OVERLAY, REPO, TERRAFORM, render, workflow

JOBS = workflow("release.yml")["jobs"]


def steps_text(job: str) -> str:
    return "\n".join(
        str(step.get("run", "")) + str(step.get("uses", "")) for step in JOBS[job]["steps"]
    )


def test_gitops_is_the_default_and_push_the_explicit_option():
    assert JOBS["promote"]["if"] == "vars.RELEASE_DEPLOY != 'push'"
    assert JOBS["smoke"]["if"] == "vars.RELEASE_DEPLOY != 'push'"
    assert JOBS["deploy"]["if"] == "vars.RELEASE_DEPLOY == 'push'"


def test_push_deploy_runs_on_a_runner_inside_the_vpc():
    labels = JOBS["deploy"]["runs-on"]
    assert labels[0] == "self-hosted"
    config = yaml.safe_load((REPO / ".github" / "actionlint.yaml").read_text())
    assert set(labels[2:]) <= set(config["self-hosted-runner"]["labels"])
    runbook = (REPO / "docs" / "RELEASING.md").read_text()
    assert "expense-tracker-vpc" in runbook


def test_image_is_signed_keylessly_with_an_sbom_and_verified_before_any_deploy():
    image = steps_text("image")
    assert "sbom: true" in yaml.safe_dump(JOBS["image"]["steps"]) or "sbom" in image
    pushes = [
        step
        for step in JOBS["image"]["steps"]
        if step.get("name") == "Push with SBOM and provenance"
    ]
    assert pushes[0]["with"]["sbom"] is True
    assert 'cosign sign --yes "$REPOSITORY@$DIGEST"' in image
    assert "--key" not in image  # keyless: Fulcio certificate, Rekor log
    verify = steps_text("verify")
    assert "cosign verify" in verify
    assert '--certificate-identity "$SIGNER_IDENTITY"' in verify
    identity = workflow("release.yml")["env"]["SIGNER_IDENTITY"]
    assert identity.endswith("/.github/workflows/release.yml@${{ github.ref }}")
    for deployer in ("promote", "deploy"):
        assert "verify" in JOBS[deployer]["needs"], deployer


def test_promote_pins_the_verified_digest_in_the_overlay_argo_cd_follows():
    promote = steps_text("promote")
    assert ".digest = strenv(DIGEST)" in promote
    assert '"$OVERLAY/kustomization.yaml"' in promote
    assert "HEAD:main" in promote
    app = {(d["kind"], d["metadata"]["name"]): d for d in render(ARGOCD)}[
        ("Application", "expense-tracker")
    ]
    assert app["spec"]["source"]["targetRevision"] == "main"
    assert REPO / app["spec"]["source"]["path"] == EKS_OVERLAY


def test_failed_smoke_test_reverts_the_deploy_commit():
    smoke = steps_text("smoke")
    assert "https://$API_HOST/api/v1/version" in smoke
    assert '"$VERSION"' in smoke
    rollback = JOBS["rollback"]
    assert set(rollback["needs"]) >= {"promote", "smoke"}
    assert rollback["if"] == (
        "failure() && needs.promote.result == 'success' && needs.promote.outputs.commit != ''"
    )
    # A re-run that finds main already pinned commits nothing, so reverts nothing.
    assert 'echo "commit=" >> "$GITHUB_OUTPUT"' in steps_text("promote")
    assert 'git revert --no-edit "$COMMIT"' in steps_text("rollback")
    assert rollback["env"]["COMMIT"] == "${{ needs.promote.outputs.commit }}"


def test_smoke_url_is_a_path_the_ingress_routes():
    ingress = next(doc for doc in render(EKS_OVERLAY) if doc["kind"] == "Ingress")
    prefixes = [path["path"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]]
    for job in ("smoke", "deploy"):
        (url,) = set(re.findall(r"https://\$API_HOST(/[\w/]+)", steps_text(job)))
        assert any(url.startswith(prefix + "/") for prefix in prefixes), (job, url)


def test_terraform_installs_argo_cd_and_its_applications_from_the_repository():
    text = (TERRAFORM / "argocd.tf").read_text()
    assert 'chart      = "argo-cd"' in text
    assert "version    = var.argocd_chart_version" in text
    assert 'chart      = "argocd-apps"' in text
    for name in ("project", "application", "platform-project", "platform-application"):
        assert (ARGOCD / f"{name}.yaml").is_file()
        assert f'"{name}"' in text
    assert "https://github.com/${var.github_repository}.git" in text
    assert "LoadBalancer" not in text.replace("no Service of type\n    # LoadBalancer", "")


def test_argo_cd_keeps_what_the_hpa_and_reloader_change():
    app = {(d["kind"], d["metadata"]["name"]): d for d in render(ARGOCD)}[
        ("Application", "expense-tracker")
    ]
    (ignored,) = app["spec"]["ignoreDifferences"]
    assert ignored["kind"] == "Deployment"
    assert "/spec/replicas" in ignored["jsonPointers"]
    assert (
        "/spec/template/metadata/annotations/reloader.stakater.com~1last-reloaded-from"
        in ignored["jsonPointers"]
    )
    assert "RespectIgnoreDifferences=true" in app["spec"]["syncPolicy"]["syncOptions"]
    assert 'reloadStrategy = "annotations"' in (TERRAFORM / "external_secrets.tf").read_text()
