locals {
  # Three AZs where the region has them (two in a few regions): the node
  # group, the database subnets and the ALB all spread over them.
  azs = slice(data.aws_availability_zones.available.names, 0, min(3, length(data.aws_availability_zones.available.names)))

  # Where the API runs in the cluster; infra/k8s uses the same names.
  app_namespace       = "expense-tracker"
  app_service_account = "expense-api"

  tags = merge(var.tags, {
    Project   = var.name
    ManagedBy = "terraform"
    Source    = "infra/terraform"
  })
}

data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394:Only the first three names are used (slice in locals); a zone AWS adds later sorts after them and changes nothing.
  # Local Zones and Wavelength lack EKS and RDS; keep to the regular AZs.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}
