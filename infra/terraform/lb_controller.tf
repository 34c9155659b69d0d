# AWS Load Balancer Controller: turns the Ingress in infra/k8s into an
# internet-facing ALB with IP targets. Installed here, not by hand, with its
# IAM role delivered through EKS Pod Identity.
locals {
  lb_controller_namespace       = "kube-system"
  lb_controller_service_account = "aws-load-balancer-controller"
}

module "lb_controller_pod_identity" {
  # checkov:skip=CKV_TF_1:Registry module pinned to an exact release; registry sources cannot take a commit hash.
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name = "${var.name}-lb-controller"

  # The upstream controller policy, maintained with the module's releases.
  attach_aws_lb_controller_policy = true
}

resource "aws_eks_pod_identity_association" "lb_controller" {
  cluster_name    = module.eks.cluster_name
  namespace       = local.lb_controller_namespace
  service_account = local.lb_controller_service_account
  role_arn        = module.lb_controller_pod_identity.iam_role_arn
}

resource "helm_release" "lb_controller" {
  name       = "aws-load-balancer-controller"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-load-balancer-controller"
  version    = var.lb_controller_chart_version
  namespace  = local.lb_controller_namespace

  values = [yamlencode({
    clusterName = module.eks.cluster_name
    # Given explicitly: IMDS is limited to one hop, so pods cannot look them up.
    region = var.region
    vpcId  = module.vpc.vpc_id
    serviceAccount = {
      create = true
      name   = local.lb_controller_service_account
    }
    replicaCount = 2
    # Leave Services of type LoadBalancer alone; this project only uses Ingress.
    enableServiceMutatorWebhook = false
  })]

  # The controller must have its role before it starts, and nodes to run on.
  depends_on = [aws_eks_pod_identity_association.lb_controller, module.eks]
}
