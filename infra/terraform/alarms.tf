# Alarms to one SNS topic: the API through its ALB (errors, unhealthy
# targets, slow answers) and the database (CPU, storage, connections). There
# is no read replica, so no replica-lag alarm. The ALB alarms need the ALB's
# identity, which exists after the first deploy: load_balancer_exists.
locals {
  alb_alarm_count = var.load_balancer_exists ? 1 : 0
  db_dimensions   = { DBInstanceIdentifier = module.db.db_instance_identifier }
  # Storage autoscaling grows the disk from here; alarm well before it is full.
  db_free_storage_floor_bytes = max(2, var.db_allocated_storage_gib / 10) * 1024 * 1024 * 1024
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name}-alarms"
  kms_master_key_id = aws_kms_key.app.id
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count = var.alarm_email == "" ? 0 : 1

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# --- Database -----------------------------------------------------------------
resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${var.name}-db-cpu"
  alarm_description   = "PostgreSQL CPU above 80% for 15 minutes: slow queries or an undersized db_instance_class."
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = local.db_dimensions
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "db_free_storage" {
  alarm_name          = "${var.name}-db-free-storage"
  alarm_description   = "PostgreSQL free storage below 10% of the allocated size (at least 2 GiB); storage autoscaling may be at db_max_allocated_storage_gib."
  namespace           = "AWS/RDS"
  metric_name         = "FreeStorageSpace"
  dimensions          = local.db_dimensions
  statistic           = "Minimum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = local.db_free_storage_floor_bytes
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_metric_alarm" "db_connections" {
  alarm_name          = "${var.name}-db-connections"
  alarm_description   = "PostgreSQL connections above what the API's pools should ever open; a leak, or replicas beyond the HPA plan."
  namespace           = "AWS/RDS"
  metric_name         = "DatabaseConnections"
  dimensions          = local.db_dimensions
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.db_connections_alarm_threshold
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
}

# --- API through the ALB ------------------------------------------------------
# The controller tags the target group it creates for the Ingress with the
# Ingress's namespace/name.
data "aws_lb_target_group" "api" {
  count = local.alb_alarm_count

  tags = {
    "ingress.k8s.aws/stack" = "${local.app_namespace}/expense-api"
  }
}

resource "aws_cloudwatch_metric_alarm" "alb_5xx_rate" {
  count = local.alb_alarm_count

  alarm_name          = "${var.name}-alb-5xx-rate"
  alarm_description   = "More than 5% of requests answered 5xx (by the pods or by the ALB) for 3 minutes."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  metric_query {
    id          = "rate"
    expression  = "100 * (FILL(target, 0) + FILL(elb, 0)) / requests"
    label       = "5xx % of requests"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = {
      target   = "HTTPCode_Target_5XX_Count"
      elb      = "HTTPCode_ELB_5XX_Count"
      requests = "RequestCount"
    }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/ApplicationELB"
        metric_name = metric_query.value
        dimensions  = { LoadBalancer = data.aws_lb.api[0].arn_suffix }
        stat        = "Sum"
        period      = 60
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "alb_unhealthy_targets" {
  count = local.alb_alarm_count

  alarm_name          = "${var.name}-alb-unhealthy-targets"
  alarm_description   = "An API pod failed the ALB health check (/health) for 3 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]

  dimensions = {
    LoadBalancer = data.aws_lb.api[0].arn_suffix
    TargetGroup  = data.aws_lb_target_group.api[0].arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "alb_p99_latency" {
  count = local.alb_alarm_count

  alarm_name          = "${var.name}-alb-p99-latency"
  alarm_description   = "The slowest 1% of API answers took over 2 s for 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  extended_statistic  = "p99"
  period              = 60
  evaluation_periods  = 5
  comparison_operator = "GreaterThanThreshold"
  threshold           = 2
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alarms.arn]
  ok_actions          = [aws_sns_topic.alarms.arn]
  dimensions          = { LoadBalancer = data.aws_lb.api[0].arn_suffix }
}
