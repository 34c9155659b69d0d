# --- Observability (observability.tf, alarms.tf) ------------------------------

variable "alarm_email" {
  description = "Address subscribed to the alarm topic (confirm the e-mail AWS sends); empty: subscribe your pager/chat to the topic yourself."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or empty."
  }
}

variable "pod_log_retention_days" {
  description = "Days Container Insights keeps pod, node and performance logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.pod_log_retention_days)
    error_message = "pod_log_retention_days must be a retention CloudWatch Logs accepts (e.g. 7, 14, 30, 90, 365)."
  }
}

variable "db_connections_alarm_threshold" {
  description = "Alarm when the database holds more connections than this; the API plans for at most HPA maxReplicas 10 x (DB_POOL_MAX_SIZE 10 + 1 LISTEN connection) = 110."
  type        = number
  default     = 150

  validation {
    condition     = var.db_connections_alarm_threshold > 0
    error_message = "db_connections_alarm_threshold must be positive."
  }
}
