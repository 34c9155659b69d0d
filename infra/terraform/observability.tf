# Pod logs, node and container metrics: the CloudWatch Observability add-on
# (Container Insights; Fluent Bit ships every container's stdout to
# /aws/containerinsights/<cluster>/application). The API's Prometheus
# endpoint (/metrics): an Amazon Managed Service for Prometheus workspace fed
# by an AWS-managed scraper, so nothing in the cluster stores metrics and no
# Prometheus server needs patching. Alarms: alarms.tf.
locals {
  container_insights_log_groups = toset(["application", "dataplane", "host", "performance"])
}

module "cloudwatch_observability_pod_identity" {
  # checkov:skip=CKV_TF_1:Registry module pinned to an exact release; registry sources cannot take a commit hash.
  source  = "terraform-aws-modules/eks-pod-identity/aws"
  version = "2.8.1"

  name = "${var.name}-cloudwatch-agent"

  # CloudWatchAgentServerPolicy (and X-Ray writes), maintained upstream.
  attach_aws_cloudwatch_observability_policy = true
}

# Created here, not by Fluent Bit on first write, so they expire and are
# encrypted with the app key (pod logs can carry user data).
resource "aws_cloudwatch_log_group" "container_insights" {
  # checkov:skip=CKV_AWS_338:Pod logs can carry personal data; they are kept pod_log_retention_days (30) for operations, not a year.
  for_each = local.container_insights_log_groups

  name              = "/aws/containerinsights/${var.name}/${each.key}"
  retention_in_days = var.pod_log_retention_days
  kms_key_id        = aws_kms_key.app.arn
}

# --- /metrics -----------------------------------------------------------------
resource "aws_prometheus_workspace" "metrics" {
  alias       = var.name
  kms_key_arn = aws_kms_key.app.arn
}

resource "aws_prometheus_scraper" "api" {
  alias = "${var.name}-api"

  # Every API server pod, on its named port; the migration Job and CronJobs
  # serve nothing.
  scrape_configuration = <<-EOT
    global:
      scrape_interval: 30s
    scrape_configs:
      - job_name: expense-api
        metrics_path: /metrics
        kubernetes_sd_configs:
          - role: pod
            namespaces:
              names: [${local.app_namespace}]
        relabel_configs:
          - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name, __meta_kubernetes_pod_label_app_kubernetes_io_component]
            regex: expense-api;server
            action: keep
          - source_labels: [__meta_kubernetes_pod_container_port_name]
            regex: http
            action: keep
          - source_labels: [__meta_kubernetes_pod_name]
            target_label: pod
  EOT

  source {
    eks {
      cluster_arn = module.eks.cluster_arn
      subnet_ids  = module.vpc.private_subnets
      # The nodes' group: pods (VPC CNI addresses on the nodes' ENIs) accept
      # it on their ports, and the API's NetworkPolicy admits port 8000.
      security_group_ids = [module.eks.node_security_group_id]
    }
  }

  destination {
    amp {
      workspace_arn = aws_prometheus_workspace.metrics.arn
    }
  }
}

# The scraper reads pods through the Kubernetes API as this user, bound to the
# read-only ClusterRole in infra/k8s/cluster/prometheus-scraper.yaml.
resource "aws_eks_access_entry" "prometheus_scraper" {
  cluster_name  = module.eks.cluster_name
  principal_arn = aws_prometheus_scraper.api.role_arn
  user_name     = "aps-collector-user"
  type          = "STANDARD"
}
