# --- Cluster add-ons (Helm charts, pinned exactly) ---------------------------
# Each default is the project's newest release when this was last reviewed,
# read from the project's own release tags or chart index (infra/README.md,
# "Versions", lists where and when). Bump deliberately: read the upgrade notes.

variable "lb_controller_chart_version" {
  description = "aws-load-balancer-controller chart version (eks-charts; chart and app versions are equal since v3)."
  type        = string
  default     = "3.6.0"
}

variable "external_secrets_chart_version" {
  description = "external-secrets chart version (charts.external-secrets.io)."
  type        = string
  default     = "2.13.0"
}

variable "reloader_chart_version" {
  description = "stakater reloader chart version."
  type        = string
  default     = "2.2.17"
}

variable "karpenter_chart_version" {
  description = "Karpenter chart version (oci://public.ecr.aws/karpenter); the CRDs in infra/k8s/cluster must match its API (karpenter.sh/v1)."
  type        = string
  default     = "1.14.1"
}

variable "argocd_chart_version" {
  description = "argo-cd chart version (argoproj/argo-helm)."
  type        = string
  default     = "10.9.2"
}

variable "argocd_apps_chart_version" {
  description = "argocd-apps chart version (argoproj/argo-helm): installs the Applications in infra/k8s/argocd."
  type        = string
  default     = "2.0.5"
}
