terraform {
  # 1.11: write-only arguments (the JWT secret never enters the state) and the
  # terraform-aws-modules/rds v7 floor; ephemeral resources need 1.10.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # eks v21, vpc v6, rds v7 and eks-pod-identity v2 all need the 6.x line.
      version = "~> 6.28"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.38"
    }
    random = {
      source = "hashicorp/random"
      # ephemeral "random_password" appeared in 3.7.
      version = "~> 3.7"
    }
  }

  # Partial configuration: the bucket, key and region live in backend.hcl (see
  # backend.hcl.example), so the same code serves every account.
  #   terraform init -backend-config=backend.hcl
  backend "s3" {}
}
