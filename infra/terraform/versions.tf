terraform {
  # 1.11.1: the floor of terraform-aws-modules/rds 7.2 (its versions.tf);
  # write-only arguments (1.11) keep the JWT key out of the state.
  required_version = ">= 1.11.1"

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
