# Argo CD: the default deploy path. It runs inside the cluster and pulls the
# eks overlay from this repository, so nothing outside the VPC needs the
# Kubernetes API; a release is a commit to main that pins the new image
# (.github/workflows/release.yml), a rollback is the revert of that commit.
# The Applications and AppProjects are the files in infra/k8s/argocd (the one
# source of truth), with repoURL set to github_repository.
locals {
  argocd_namespace = "argocd"
  argocd_repo_url  = "https://github.com/${var.github_repository}.git"
  argocd_manifests = {
    for file in ["project", "application", "platform-project", "platform-application"] :
    file => yamldecode(replace(
      file("${path.module}/../k8s/argocd/${file}.yaml"),
      "https://github.com/OWNER/expense-tracker.git",
      local.argocd_repo_url,
    ))
  }
}

resource "kubernetes_namespace_v1" "argocd" {
  metadata {
    name = local.argocd_namespace
    labels = {
      "pod-security.kubernetes.io/enforce" = "baseline"
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }

  depends_on = [module.eks]
}

resource "helm_release" "argocd" {
  name       = "argocd"
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argo-cd"
  version    = var.argocd_chart_version
  namespace  = kubernetes_namespace_v1.argocd.metadata[0].name

  values = [yamlencode({
    # Reached with `kubectl port-forward` only: no Service of type
    # LoadBalancer, no Ingress, no SSO connector to maintain.
    server = {
      service = { type = "ClusterIP" }
    }
    # Local admin until SSO is configured (infra/README.md, "4. Workload").
    dex = { enabled = false }
  })]

  depends_on = [helm_release.lb_controller]
}

# The Applications and their AppProjects, through the upstream argocd-apps
# chart (installed after Argo CD's CRDs exist).
resource "helm_release" "argocd_apps" {
  name       = "argocd-apps"
  repository = "https://argoproj.github.io/argo-helm"
  chart      = "argocd-apps"
  version    = var.argocd_apps_chart_version
  namespace  = kubernetes_namespace_v1.argocd.metadata[0].name

  values = [yamlencode({
    projects = {
      for file in ["project", "platform-project"] :
      local.argocd_manifests[file].metadata.name => merge(local.argocd_manifests[file].spec, {
        namespace = local.argocd_namespace
      })
    }
    applications = {
      for file in ["application", "platform-application"] :
      local.argocd_manifests[file].metadata.name => merge(local.argocd_manifests[file].spec, {
        namespace  = local.argocd_namespace
        finalizers = local.argocd_manifests[file].metadata.finalizers
      })
    }
  })]

  depends_on = [helm_release.argocd]
}
