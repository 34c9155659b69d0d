locals {
  db_name     = "expense"
  db_username = "expense_admin"
  db_port     = 5432
}

# PostgreSQL 16 in the isolated database subnets. The master password is
# generated, stored and rotated by RDS in Secrets Manager: Terraform never
# sees it, so it is in neither the state nor an output.
module "db" {
  # checkov:skip=CKV_TF_1:Registry module pinned to an exact release; registry sources cannot take a commit hash.
  source  = "terraform-aws-modules/rds/aws"
  version = "7.2.0"

  identifier = var.name

  engine               = "postgres"
  engine_version       = "16"
  family               = "postgres16"
  major_engine_version = "16"
  instance_class       = var.db_instance_class

  allocated_storage     = var.db_allocated_storage_gib
  max_allocated_storage = var.db_max_allocated_storage_gib
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.app.arn

  db_name  = local.db_name
  username = local.db_username
  port     = local.db_port

  manage_master_user_password                            = true
  master_user_secret_kms_key_id                          = aws_kms_key.app.arn
  manage_master_user_password_rotation                   = true
  master_user_password_rotate_immediately                = false
  master_user_password_rotation_automatically_after_days = var.db_password_rotation_days

  # Private: no public address, only the database subnets, only the nodes.
  publicly_accessible    = false
  create_db_subnet_group = false
  db_subnet_group_name   = module.vpc.database_subnet_group_name
  vpc_security_group_ids = [aws_security_group.db.id]

  multi_az = var.db_multi_az

  backup_retention_period          = var.db_backup_retention_days
  backup_window                    = "02:00-03:00"
  maintenance_window               = "Sun:03:30-Sun:04:30"
  copy_tags_to_snapshot            = true
  deletion_protection              = var.db_deletion_protection
  skip_final_snapshot              = var.db_skip_final_snapshot
  final_snapshot_identifier_prefix = "${var.name}-final"

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = false
  apply_immediately           = false

  enabled_cloudwatch_logs_exports        = ["postgresql", "upgrade"]
  create_cloudwatch_log_group            = true
  cloudwatch_log_group_retention_in_days = 30

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = aws_kms_key.app.arn
  performance_insights_retention_period = 7
  create_monitoring_role                = true
  monitoring_role_name                  = "${var.name}-rds-monitoring"
  monitoring_interval                   = 60

  parameters = [
    # Refuse unencrypted connections (the API connects with verify-full).
    { name = "rds.force_ssl", value = "1" },
    # Log statements slower than half a second, and every connection attempt.
    { name = "log_min_duration_statement", value = "500" },
    { name = "log_connections", value = "1" },
  ]
}

# The database accepts PostgreSQL from the worker nodes' security group and
# nothing else (with the VPC CNI, pods send from their node's ENIs, so this
# covers the API pods and the migration Job). No egress: it starts nothing.
resource "aws_security_group" "db" {
  # checkov:skip=CKV2_AWS_5:Attached to the DB instance through module.db (vpc_security_group_ids), which checkov cannot follow offline.
  name_prefix = "${var.name}-db-"
  description = "PostgreSQL for ${var.name}: inbound 5432 from the EKS nodes only"
  vpc_id      = module.vpc.vpc_id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "db_from_nodes" {
  security_group_id            = aws_security_group.db.id
  description                  = "PostgreSQL from the EKS worker nodes (API pods, migration Job)"
  referenced_security_group_id = module.eks.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = local.db_port
  to_port                      = local.db_port
}
