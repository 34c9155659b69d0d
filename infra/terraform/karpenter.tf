# Node autoscaling: Karpenter (not EKS Auto Mode, so the AMI family, the
# instance choice and the add-ons stay as this stack pins them, and the nodes
# cost EC2 prices without the Auto Mode management fee). The managed node group
# in eks.tf is the fixed base that runs the system add-ons and Karpenter
# itself; Karpenter adds and removes nodes for pending pods (the HPA's extra
# API replicas) as described by the NodePool and EC2NodeClass in
# infra/k8s/cluster/karpenter.yaml.
locals {
  # Named, not prefixed: the EC2NodeClass refers to the role by this name.
  karpenter_node_role_name = "${var.name}-karpenter-node"
}

module "karpenter" {
  # checkov:skip=CKV_TF_1:Registry module pinned to an exact release; registry sources cannot take a commit hash.
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "21.19.0"

  cluster_name = module.eks.cluster_name

  # The controller's role through Pod Identity (kube-system/karpenter);
  # interruption handling (spot notices, rebalance, health events) via SQS.
  create_pod_identity_association = true
  enable_spot_termination         = true

  node_iam_role_use_name_prefix = false
  node_iam_role_name            = local.karpenter_node_role_name
}

resource "helm_release" "karpenter" {
  name       = "karpenter"
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  version    = var.karpenter_chart_version
  namespace  = module.karpenter.namespace

  values = [yamlencode({
    serviceAccount = {
      name = module.karpenter.service_account
    }
    settings = {
      clusterName       = module.eks.cluster_name
      interruptionQueue = module.karpenter.queue_name
    }
    # Never on the nodes it manages: it would evict itself when consolidating.
    nodeSelector = {
      "karpenter.sh/controller" = "true"
    }
    replicas = 2
  })]

  depends_on = [module.eks]
}
