# Private paths to the services every node pull touches: image layers come
# from S3 (gateway endpoint, free) and the registry API from ECR (interface
# endpoints). Pulls then neither pay NAT data processing nor depend on the
# NAT gateways being up.
module "vpc_endpoints" {
  # checkov:skip=CKV_TF_1:Registry module pinned to an exact release; registry sources cannot take a commit hash.
  source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  version = "6.6.0"

  vpc_id = module.vpc.vpc_id

  create_security_group      = true
  security_group_name_prefix = "${var.name}-endpoints-"
  security_group_description = "HTTPS from inside the VPC to the interface endpoints"
  security_group_rules = {
    https_from_vpc = {
      description = "HTTPS from the VPC (nodes and pods)"
      cidr_blocks = [module.vpc.vpc_cidr_block]
    }
  }

  endpoints = {
    s3 = {
      service         = "s3"
      service_type    = "Gateway"
      route_table_ids = module.vpc.private_route_table_ids
      tags            = { Name = "${var.name}-s3" }
    }
    ecr_api = {
      service             = "ecr.api"
      private_dns_enabled = true
      subnet_ids          = module.vpc.private_subnets
      tags                = { Name = "${var.name}-ecr-api" }
    }
    ecr_dkr = {
      service             = "ecr.dkr"
      private_dns_enabled = true
      subnet_ids          = module.vpc.private_subnets
      tags                = { Name = "${var.name}-ecr-dkr" }
    }
  }
}
