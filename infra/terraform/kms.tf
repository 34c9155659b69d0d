# One customer-managed key for the application's data at rest: the database
# (storage, Performance Insights, its secrets), the JWT secret, the image
# repository and the log groups. A CMK, unlike the AWS-managed keys, can be audited,
# rotated and shared with exactly the roles below.
resource "aws_kms_key" "app" {
  description             = "${var.name}: RDS, Secrets Manager and ECR encryption"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.app_key.json
}

resource "aws_kms_alias" "app" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.app.key_id
}

# Key policies need an explicit administrator, or the key becomes unmanageable.
# Delegating to the account's IAM lets the IAM policies (e.g. External
# Secrets' decrypt permission) grant use of the key.
data "aws_iam_policy_document" "app_key" {
  # checkov:skip=CKV_AWS_109:Key policy: "Resource *" means this key only, and the account root must administer it.
  # checkov:skip=CKV_AWS_111:Key policy: "Resource *" means this key only, and the account root must administer it.
  # checkov:skip=CKV_AWS_356:Key policy: "Resource *" means this key only; a key policy cannot name its own ARN.
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  # CloudWatch alarms publish to the encrypted SNS topic (alarms.tf).
  statement {
    sid       = "CloudWatchAlarmsPublishToTheTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }

  # CloudWatch Logs encrypts this account's log groups (WAF, pod logs) with it.
  statement {
    sid = "CloudWatchLogsEncryptsLogGroups"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:*"]
    }
  }
}
