provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# The Kubernetes and Helm providers talk to the cluster this configuration
# creates. Tokens come from `aws eks get-token` at plan/apply time, so nothing
# long-lived is stored in the state or in a kubeconfig.
locals {
  cluster_exec_auth = {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
  }
}

provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)

  exec {
    api_version = local.cluster_exec_auth.api_version
    command     = local.cluster_exec_auth.command
    args        = local.cluster_exec_auth.args
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    exec                   = local.cluster_exec_auth
  }
}
