# External Secrets Operator: copies the database logins, the database location
# and the JWT key from Secrets Manager into Kubernetes Secrets in the API's
# namespace (infra/k8s/overlays/eks/external-secret.yaml): the API's and the
# migration Job's logins, and the master login for the db-bootstrap Job only.
# Its role may read exactly those secrets and decrypt them with the app key.
locals {
  external_secrets_namespace       = "external-secrets"
  external_secrets_service_account = "external-secrets"
  api_secret_arns = concat(
    [
      module.db.db_instance_master_user_secret_arn,
      aws_secretsmanager_secret.db_connection.arn,
      aws_secretsmanager_secret.jwt.arn,
    ],
    [for secret in aws_secretsmanager_secret.db_user : secret.arn],
  )
}

data "aws_iam_policy_document" "pod_identity_trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "external_secrets" {
  name_prefix        = "${var.name}-eso-"
  description        = "External Secrets Operator in ${var.name}: read the API's secrets"
  assume_role_policy = data.aws_iam_policy_document.pod_identity_trust.json
}

data "aws_iam_policy_document" "external_secrets" {
  statement {
    sid = "ReadTheApiSecrets"
    actions = [
      "secretsmanager:GetSecretValue",
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ]
    resources = local.api_secret_arns
  }

  statement {
    sid       = "DecryptThemThroughSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.app.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "external_secrets" {
  name   = "read-api-secrets"
  role   = aws_iam_role.external_secrets.id
  policy = data.aws_iam_policy_document.external_secrets.json
}

resource "aws_eks_pod_identity_association" "external_secrets" {
  cluster_name    = module.eks.cluster_name
  namespace       = local.external_secrets_namespace
  service_account = local.external_secrets_service_account
  role_arn        = aws_iam_role.external_secrets.arn
}

resource "kubernetes_namespace_v1" "external_secrets" {
  metadata {
    name = local.external_secrets_namespace
    labels = {
      "pod-security.kubernetes.io/enforce" = "baseline"
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }

  depends_on = [module.eks]
}

resource "helm_release" "external_secrets" {
  name       = "external-secrets"
  repository = "https://charts.external-secrets.io"
  chart      = "external-secrets"
  version    = var.external_secrets_chart_version
  namespace  = kubernetes_namespace_v1.external_secrets.metadata[0].name

  values = [yamlencode({
    installCRDs = true
    serviceAccount = {
      create = true
      name   = local.external_secrets_service_account
    }
  })]

  depends_on = [aws_eks_pod_identity_association.external_secrets]
}

# Reloader restarts the API (rolling, PDB-respecting) when External Secrets
# updates its Secret after a rotation; the API reads DATABASE_URL once at
# start. The old login stays valid until the rotation after next.
resource "kubernetes_namespace_v1" "reloader" {
  metadata {
    name = "reloader"
    labels = {
      "pod-security.kubernetes.io/enforce" = "baseline"
      "pod-security.kubernetes.io/warn"    = "restricted"
    }
  }

  depends_on = [module.eks]
}

resource "helm_release" "reloader" {
  name       = "reloader"
  repository = "https://stakater.github.io/stakater-charts"
  chart      = "reloader"
  version    = var.reloader_chart_version
  namespace  = kubernetes_namespace_v1.reloader.metadata[0].name

  values = [yamlencode({
    reloader = {
      readOnlyRootFileSystem = true
      # One pod-template annotation per restart, which Argo CD is told to
      # ignore (infra/k8s/argocd/application.yaml), so self-heal keeps it.
      reloadStrategy = "annotations"
    }
  })]
}
