# Identifiers and addresses only: no output carries a password, key or
# connection string (the tests in tests/infra check this).

output "region" {
  description = "AWS region of the stack."
  value       = var.region
}

output "cluster_name" {
  description = "EKS cluster name."
  value       = module.eks.cluster_name
}

output "configure_kubectl" {
  description = "Command that adds the cluster to your kubeconfig."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${module.eks.cluster_name}"
}

output "vpc_cidr" {
  description = "VPC range; the ALB's addresses (FORWARDED_ALLOW_IPS) lie in it."
  value       = module.vpc.vpc_cidr_block
}

output "ecr_repository_url" {
  description = "Push the API image here; set it as newName in infra/k8s/overlays/eks/kustomization.yaml."
  value       = aws_ecr_repository.api.repository_url
}

output "db_endpoint" {
  description = "PostgreSQL host name (private)."
  value       = module.db.db_instance_address
}

output "db_master_secret_arn" {
  description = "ARN of the RDS-managed secret holding the master credentials (the ARN, not the value)."
  value       = module.db.db_instance_master_user_secret_arn
}

output "jwt_secret_arn" {
  description = "ARN of the Secrets Manager secret holding JWT_SECRET (the ARN, not the value)."
  value       = aws_secretsmanager_secret.jwt.arn
}

output "api_url" {
  description = "Where the desktop app points, once DNS for the host name targets the ALB (route53_zone_id: Terraform's alias record)."
  value       = "https://${var.api_domain_name}/api"
}

# Written to infra/k8s/overlays/eks/cluster.env by the runbook:
#   terraform output -raw eks_overlay_env > ../k8s/overlays/eks/cluster.env
output "eks_overlay_env" {
  description = "Values the eks overlay takes from this stack (kustomize replacements)."
  value       = <<-EOT
    AWS_REGION=${var.region}
    API_HOST=${var.api_domain_name}
    ACM_CERTIFICATE_ARN=${local.certificate_arn}
    ALB_NAME=${local.alb_name}
    ALB_ACCESS_LOGS_BUCKET=${aws_s3_bucket.alb_logs.bucket}
    WAF_ACL_ARN=${aws_wafv2_web_acl.api.arn}
    VPC_CIDR=${module.vpc.vpc_cidr_block}
    DB_MASTER_SECRET_ARN=${module.db.db_instance_master_user_secret_arn}
    DB_CONNECTION_SECRET_NAME=${aws_secretsmanager_secret.db_connection.name}
    DB_APP_SECRET_NAME=${aws_secretsmanager_secret.db_user["app"].name}
    DB_MIGRATOR_SECRET_NAME=${aws_secretsmanager_secret.db_user["migrator"].name}
    JWT_SECRET_NAME=${aws_secretsmanager_secret.jwt.name}
  EOT
}

output "alarm_topic_arn" {
  description = "SNS topic every CloudWatch alarm notifies; subscribe your pager or chat to it."
  value       = aws_sns_topic.alarms.arn
}

output "prometheus_query_url" {
  description = "Query endpoint of the managed Prometheus workspace holding the API's /metrics (SigV4; e.g. a Grafana data source)."
  value       = "${aws_prometheus_workspace.metrics.prometheus_endpoint}api/v1/query"
}
