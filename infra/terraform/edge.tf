# The public edge of the API: the ALB's fixed name, its TLS certificate and
# DNS record, and the WAF in front of it. The ALB itself is created by the
# AWS Load Balancer Controller from the Ingress; the eks overlay passes it
# the name, certificate, web ACL and log bucket below (cluster.env).
locals {
  # Fixed, so recreating the Ingress brings back the same ALB name and the
  # alarms and DNS record below find it again (32 characters at most).
  alb_name = "${var.name}-api"

  manage_dns      = var.route53_zone_id != ""
  certificate_arn = local.manage_dns ? aws_acm_certificate_validation.api[0].certificate_arn : var.acm_certificate_arn
}

# --- Certificate and DNS (when the zone is in Route 53) ----------------------
resource "aws_acm_certificate" "api" {
  count = local.manage_dns ? 1 : 0

  domain_name       = var.api_domain_name
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "api_validation" {
  for_each = local.manage_dns ? {
    for option in aws_acm_certificate.api[0].domain_validation_options : option.domain_name => option
  } : {}

  zone_id         = var.route53_zone_id
  name            = each.value.resource_record_name
  type            = each.value.resource_record_type
  records         = [each.value.resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "api" {
  count = local.manage_dns ? 1 : 0

  certificate_arn         = aws_acm_certificate.api[0].arn
  validation_record_fqdns = [for record in aws_route53_record.api_validation : record.fqdn]
}

# The ALB exists only after the first deploy of the Ingress; set
# load_balancer_exists = true then, and the alias (and the ALB alarms) follow.
data "aws_lb" "api" {
  count = var.load_balancer_exists ? 1 : 0

  name = local.alb_name
}

resource "aws_route53_record" "api" {
  for_each = local.manage_dns && var.load_balancer_exists ? toset(["A", "AAAA"]) : toset([])

  zone_id = var.route53_zone_id
  name    = var.api_domain_name
  type    = each.key

  alias {
    name                   = data.aws_lb.api[0].dns_name
    zone_id                = data.aws_lb.api[0].zone_id
    evaluate_target_health = true
  }
}

# --- WAF ----------------------------------------------------------------------
resource "aws_wafv2_web_acl" "api" {
  name        = "${var.name}-api"
  description = "Expense Tracker API: AWS managed rules and a rate limit on sign-in"
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  # Password guessing and token farming: per client address, counted over
  # five minutes, only on the auth routes (the rest of the API needs a token).
  rule {
    name     = "auth-rate-limit"
    priority = 0

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.auth_rate_limit_per_5_minutes
        aggregate_key_type    = "IP"
        evaluation_window_sec = 300

        scope_down_statement {
          byte_match_statement {
            search_string         = "/api/v1/auth/"
            positional_constraint = "STARTS_WITH"

            field_to_match {
              uri_path {}
            }

            text_transformation {
              priority = 0
              type     = "NONE"
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-auth-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-common"
    priority = 10

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"

        # The rule blocks bodies over 8 KB; CSV imports are up to
        # MAX_IMPORT_BYTES (5 MiB) and the API bounds them itself.
        rule_action_override {
          name = "SizeRestrictions_BODY"

          action_to_use {
            count {}
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-aws-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-known-bad-inputs"
    priority = 20

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-aws-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "${var.name}-api"
    sampled_requests_enabled   = true
  }
}

# WAF's own log (what it blocked and why); the name prefix is required by WAF.
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.app.arn
}

resource "aws_wafv2_web_acl_logging_configuration" "api" {
  resource_arn            = aws_wafv2_web_acl.api.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  # Bearer tokens never land in a log.
  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
}
