# The release workflow's identity in AWS: GitHub's OIDC token is exchanged for
# a one-hour session of this role, so no AWS key is stored in GitHub. The role
# trusts one repository's one environment and pushes (and signs) images in
# the one ECR repository; only for the push-based deploy does it get a narrow
# Role inside the cluster.

locals {
  github_oidc_host         = "token.actions.githubusercontent.com"
  release_kubernetes_group = "expense-tracker:release"
  # An account has at most one provider per URL and its ARN is fixed, so the
  # trust policy names it without reading or creating it: the plan works in
  # accounts that have one and in accounts that do not.
  github_oidc_provider_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:oidc-provider/${local.github_oidc_host}"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc_host}"
  client_id_list = ["sts.amazonaws.com"]
  # No thumbprint_list: IAM validates GitHub's certificate against its own
  # trusted CAs for this provider.
}

# A warning, never a failed apply, when nothing provides the ARN above: then
# set create_github_oidc_provider = true (or create it once by hand).
check "github_oidc_provider_exists" {
  data "aws_iam_openid_connect_provider" "github" {
    url = "https://${local.github_oidc_host}"
  }

  assert {
    condition     = data.aws_iam_openid_connect_provider.github.arn == local.github_oidc_provider_arn
    error_message = "No IAM OIDC provider for ${local.github_oidc_host} in this account: set create_github_oidc_provider = true, or the release role cannot be assumed."
  }
}

data "aws_iam_policy_document" "github_release_trust" {
  # checkov:skip=CKV_AWS_358:The subject is repo:<owner/name>:environment:<env> exactly; owner/name is a variable validated as such, which checkov cannot resolve offline.
  statement {
    sid     = "GitHubReleaseEnvironment"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Jobs that declare `environment: production` get this subject; a branch,
    # a pull request or another repository does not.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:${var.github_repository}:environment:${var.github_release_environment}"]
    }
  }
}

resource "aws_iam_role" "github_release" {
  name                 = "${var.name}-github-release"
  description          = "GitHub Actions release workflow of ${var.github_repository}: ECR push, EKS rollout."
  assume_role_policy   = data.aws_iam_policy_document.github_release_trust.json
  max_session_duration = 3600

  # Created after the provider when this stack creates it.
  depends_on = [aws_iam_openid_connect_provider.github]
}

data "aws_iam_policy_document" "github_release" {
  # Registry login; this action has no resource-level permissions.
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPushApiImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.api.arn]
  }

  # `aws eks update-kubeconfig` (push-based deploy); what the role may do
  # inside the cluster is the access entry below.
  statement {
    sid       = "DescribeCluster"
    actions   = ["eks:DescribeCluster"]
    resources = [module.eks.cluster_arn]
  }
}

resource "aws_iam_role_policy" "github_release" {
  name   = "release"
  role   = aws_iam_role.github_release.id
  policy = data.aws_iam_policy_document.github_release.json
}

# In-cluster access only for the push-based deploy (a runner inside the VPC):
# the group below, bound to the Role in infra/k8s/overlays/eks/release-rbac.yaml
# (workloads and config in the app's namespace; no Secrets, no exec, no RBAC).
# With Argo CD (the default) the workflow never talks to the cluster.
resource "aws_eks_access_entry" "github_release" {
  count = var.release_push_deploy ? 1 : 0

  cluster_name      = module.eks.cluster_name
  principal_arn     = aws_iam_role.github_release.arn
  type              = "STANDARD"
  kubernetes_groups = [local.release_kubernetes_group]
}
