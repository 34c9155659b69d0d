module "eks" {
  # checkov:skip=CKV_TF_1:Registry module pinned to an exact release; registry sources cannot take a commit hash.
  source  = "terraform-aws-modules/eks/aws"
  version = "21.19.0"

  name               = var.name
  kubernetes_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  # Nodes, Argo CD and a push-deploy runner in the VPC reach the API server
  # privately; operators publicly, but only from the listed networks. GitHub's
  # hosted runners never need it (docs/RELEASING.md).
  endpoint_private_access      = true
  endpoint_public_access       = true
  endpoint_public_access_cidrs = var.cluster_endpoint_public_access_cidrs

  # Access entries only (no aws-auth ConfigMap). Cluster admin is one named
  # role, not whoever happened to run the last apply: run Terraform (and the
  # Helm releases it installs) as that role.
  authentication_mode = "API"
  access_entries = {
    admin = {
      principal_arn = var.cluster_admin_role_arn
      policy_associations = {
        cluster_admin = {
          policy_arn   = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
          access_scope = { type = "cluster" }
        }
      }
    }
  }

  # Standard support only: when a version leaves it, the upgrade is forced
  # instead of the cluster sliding into paid extended support.
  upgrade_policy = {
    support_type = "STANDARD"
  }

  enabled_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  addons = {
    # Networking must exist before the nodes join, or they never become Ready.
    vpc-cni = {
      before_compute = true
      # Enforce NetworkPolicy objects (the eBPF network policy agent); without
      # this the manifests' policies are accepted and silently ignored.
      configuration_values = jsonencode({
        enableNetworkPolicy = "true"
      })
    }
    # Pod Identity hands the controllers below their IAM roles (no IRSA/OIDC
    # trust policies to maintain).
    eks-pod-identity-agent = {
      before_compute = true
    }
    kube-proxy = {}
    coredns    = {}
    # Pod logs (Fluent Bit) and Container Insights metrics, with the
    # agent's role through Pod Identity (observability.tf).
    amazon-cloudwatch-observability = {
      configuration_values = jsonencode({
        containerLogs = { enabled = true }
      })
      pod_identity_association = [{
        role_arn        = module.cloudwatch_observability_pod_identity.iam_role_arn
        service_account = "cloudwatch-agent"
      }]
    }
    # Resource metrics for the HPA (kubectl top too); without it the HPA
    # shows <unknown> and never scales.
    metrics-server = {}
  }

  # Karpenter launches its nodes into this security group (EC2NodeClass
  # selector in infra/k8s/cluster/karpenter.yaml).
  node_security_group_tags = {
    "karpenter.sh/discovery" = var.name
  }

  eks_managed_node_groups = {
    default = {
      ami_type       = "AL2023_x86_64_STANDARD"
      instance_types = var.node_instance_types
      capacity_type  = "ON_DEMAND"

      # Private subnets only: nodes have no public addresses.
      subnet_ids = module.vpc.private_subnets

      # The fixed base: system add-ons and the Karpenter controller run here;
      # Karpenter's own nodes carry the API's extra replicas.
      labels = {
        "karpenter.sh/controller" = "true"
      }

      min_size     = var.node_min_size
      max_size     = var.node_max_size
      desired_size = var.node_desired_size

      block_device_mappings = {
        xvda = {
          device_name = "/dev/xvda"
          ebs = {
            volume_size           = var.node_disk_size_gib
            volume_type           = "gp3"
            encrypted             = true
            delete_on_termination = true
          }
        }
      }

      # IMDSv2 only, one hop: pods cannot borrow the node's role; they get
      # their own through Pod Identity.
      metadata_options = {
        http_endpoint               = "enabled"
        http_tokens                 = "required"
        http_put_response_hop_limit = 1
      }

      update_config = {
        max_unavailable_percentage = 33
      }
    }
  }
}
