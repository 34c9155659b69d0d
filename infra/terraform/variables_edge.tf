# --- Public endpoint (edge.tf, alb_logs.tf) ---------------------------------

variable "api_domain_name" {
  description = "Host name the desktop app points at (e.g. api.expenses.example.com)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.api_domain_name))
    error_message = "api_domain_name must be a lowercase fully qualified host name."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone of api_domain_name: Terraform then issues the ACM certificate and creates the alias record. Empty: bring acm_certificate_arn and point DNS yourself (or run external-dns)."
  type        = string
  default     = ""

  validation {
    condition     = var.route53_zone_id == "" || can(regex("^Z[A-Z0-9]{1,31}$", var.route53_zone_id))
    error_message = "route53_zone_id must be a hosted zone ID such as Z0123456789ABCDEFGHIJ, or empty."
  }
}

variable "acm_certificate_arn" {
  description = "ARN of an issued ACM certificate for api_domain_name in the same region; only when route53_zone_id is empty."
  type        = string
  default     = ""

  validation {
    condition     = var.route53_zone_id != "" || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$", var.acm_certificate_arn))
    error_message = "Set route53_zone_id (Terraform issues the certificate) or acm_certificate_arn (an issued ACM certificate ARN)."
  }
}

variable "load_balancer_exists" {
  description = "The Ingress has created the ALB (after the first deploy): enables its DNS alias and its CloudWatch alarms, which need its identity."
  type        = bool
  default     = false
}

variable "auth_rate_limit_per_5_minutes" {
  description = "Requests to /api/v1/auth/* one client address may send in five minutes before WAF blocks it."
  type        = number
  default     = 300

  validation {
    condition     = var.auth_rate_limit_per_5_minutes >= 10 && var.auth_rate_limit_per_5_minutes <= 20000000
    error_message = "auth_rate_limit_per_5_minutes must be between 10 (WAF's minimum) and 20000000."
  }
}

variable "alb_access_log_retention_days" {
  description = "Days ALB access logs are kept in S3."
  type        = number
  default     = 90

  validation {
    condition     = var.alb_access_log_retention_days >= 31
    error_message = "alb_access_log_retention_days must be at least 31 (they move to Standard-IA after 30)."
  }
}
