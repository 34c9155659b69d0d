# Who logs in to PostgreSQL. The master user (RDS-managed, rotated by RDS) only
# creates the two roles below (the db-bootstrap Job in the eks overlay) and
# drives their rotation; nothing at runtime uses it.
#   expense_migrator  owns the schema: the migration Job runs DDL as it.
#   expense_app       DML only (SELECT/INSERT/UPDATE/DELETE, sequences): the API.
#
# Rotation without an outage: Secrets Manager's alternating-users rotation.
# Each rotation sets a new password on the *other* login of the pair
# (expense_app <-> expense_app_clone) and only then points the secret at it,
# so the credentials every running pod holds stay valid until the rotation
# after next. External Secrets picks the new ones up within 15 minutes and
# Reloader rolls the pods; no pod is ever left with a dead password.
# (RDS Proxy with IAM auth would need token generation inside the API and
# about $20/month more; this needs nothing from the API.)
locals {
  db_app_user      = "expense_app"
  db_migrator_user = "expense_migrator"
  db_login_users   = { app = local.db_app_user, migrator = local.db_migrator_user }
  rotation_lambda  = "arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationMultiUser"
}

# First passwords, never in the state (write-only); the bootstrap Job creates
# the roles with them, and rotation replaces them.
ephemeral "random_password" "db_app" {
  length  = 40
  special = false
}

ephemeral "random_password" "db_migrator" {
  length  = 40
  special = false
}

resource "aws_secretsmanager_secret" "db_user" {
  for_each = local.db_login_users

  name                    = "${var.name}/db-${each.key}"
  description             = "PostgreSQL login ${each.value} of the Expense Tracker (alternating-users rotation)"
  kms_key_id              = aws_kms_key.app.arn
  recovery_window_in_days = 7
}

# The shape the multi-user rotation function expects: where to connect, who,
# and the master secret it rotates with (masterarn).
resource "aws_secretsmanager_secret_version" "db_user" {
  for_each = local.db_login_users

  secret_id = aws_secretsmanager_secret.db_user[each.key].id
  secret_string_wo = jsonencode({
    engine    = "postgres"
    host      = module.db.db_instance_address
    port      = module.db.db_instance_port
    dbname    = local.db_name
    username  = each.value
    password  = each.key == "app" ? ephemeral.random_password.db_app.result : ephemeral.random_password.db_migrator.result
    masterarn = module.db.db_instance_master_user_secret_arn
  })
  secret_string_wo_version = 1
}

# AWS's rotation function for this scheme, from the Serverless Application
# Repository, running in the private subnets next to the database.
data "aws_serverlessapplicationrepository_application" "db_rotation" {
  application_id = local.rotation_lambda
}

resource "aws_serverlessapplicationrepository_cloudformation_stack" "db_rotation" {
  name             = "${var.name}-db-rotation"
  application_id   = data.aws_serverlessapplicationrepository_application.db_rotation.application_id
  semantic_version = data.aws_serverlessapplicationrepository_application.db_rotation.semantic_version
  capabilities     = data.aws_serverlessapplicationrepository_application.db_rotation.required_capabilities

  parameters = {
    functionName          = "${var.name}-db-rotation"
    endpoint              = "https://secretsmanager.${var.region}.amazonaws.com"
    vpcSubnetIds          = join(",", module.vpc.private_subnets)
    vpcSecurityGroupIds   = aws_security_group.db_rotation.id
    kmsKeyArn             = aws_kms_key.app.arn
    masterSecretArn       = module.db.db_instance_master_user_secret_arn
    masterSecretKmsKeyArn = aws_kms_key.app.arn
  }
}

resource "aws_secretsmanager_secret_rotation" "db_user" {
  for_each = local.db_login_users

  secret_id           = aws_secretsmanager_secret.db_user[each.key].id
  rotation_lambda_arn = aws_serverlessapplicationrepository_cloudformation_stack.db_rotation.outputs["RotationLambdaARN"]

  rotation_rules {
    automatically_after_days = var.db_password_rotation_days
  }

  # The first rotation only after the bootstrap Job has created the roles.
  rotate_immediately = false
}

# The function reaches PostgreSQL and, through the NAT gateways, the Secrets
# Manager API; nothing reaches it.
resource "aws_security_group" "db_rotation" {
  # checkov:skip=CKV2_AWS_5:Attached to the rotation function through the Serverless Application Repository stack's vpcSecurityGroupIds, which checkov cannot follow.
  name_prefix = "${var.name}-db-rotation-"
  description = "Secrets Manager rotation function for ${var.name}: out to PostgreSQL and HTTPS only"
  vpc_id      = module.vpc.vpc_id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "db_rotation_to_db" {
  security_group_id            = aws_security_group.db_rotation.id
  description                  = "PostgreSQL"
  referenced_security_group_id = aws_security_group.db.id
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
}

resource "aws_vpc_security_group_egress_rule" "db_rotation_https" {
  security_group_id = aws_security_group.db_rotation.id
  description       = "Secrets Manager API (HTTPS)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "db_from_rotation" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the password rotation function"
  referenced_security_group_id = aws_security_group.db_rotation.id
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
}
