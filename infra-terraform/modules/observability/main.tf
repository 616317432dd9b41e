data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id     = data.aws_caller_identity.current.account_id
  alarm_actions  = [aws_sns_topic.alarms.arn]
  backup_ns      = "Notejam/Backup"
  cache_node_ids = var.cache_replication_group_id == null ? [] : [for i in range(var.cache_node_count) : format("%s-%03d", var.cache_replication_group_id, i + 1)]
  database_alarms = var.db_instance_identifier == null ? {} : {
    cpu = {
      metric    = "CPUUtilization", statistic = "Average", comparison = "GreaterThanThreshold"
      threshold = var.db_thresholds.cpu_percent, description = "RDS CPU above ${var.db_thresholds.cpu_percent}% for 15 minutes"
    }
    free-storage = {
      metric    = "FreeStorageSpace", statistic = "Minimum", comparison = "LessThanThreshold"
      threshold = var.db_thresholds.free_storage_bytes, description = "RDS free storage below ${var.db_thresholds.free_storage_bytes} bytes"
    }
    connections = {
      metric    = "DatabaseConnections", statistic = "Maximum", comparison = "GreaterThanThreshold"
      threshold = var.db_thresholds.connections, description = "RDS connections above ${var.db_thresholds.connections}"
    }
  }
}

# --- Alarm topic, encrypted with a key CloudWatch may use -----------------------

resource "aws_kms_key" "observability" {
  description             = "${var.name_prefix} alarm topic and log groups"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AlarmsPublishToEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = ["cloudwatch.amazonaws.com", "events.amazonaws.com"] }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
      },
      {
        Sid       = "LogsEncryptLogGroups"
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.name}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${local.account_id}:log-group:*" }
        }
      },
    ]
  })
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name_prefix}-alarms"
  kms_master_key_id = aws_kms_key.observability.arn
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

# --- Log groups -----------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "this" {
  for_each = var.log_groups

  name              = "/notejam/${var.environment}/${each.key}"
  retention_in_days = each.value
  kms_key_id        = aws_kms_key.observability.arn
}

# --- Database -------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "database" {
  for_each = local.database_alarms

  alarm_name          = "${var.name_prefix}-rds-${each.key}"
  alarm_description   = each.value.description
  namespace           = "AWS/RDS"
  metric_name         = each.value.metric
  dimensions          = { DBInstanceIdentifier = var.db_instance_identifier }
  statistic           = each.value.statistic
  period              = 300
  evaluation_periods  = 3
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = "missing"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# --- Cache ----------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "cache_memory" {
  for_each = toset(local.cache_node_ids)

  alarm_name          = "${each.value}-memory"
  alarm_description   = "Redis memory above ${var.cache_memory_percent_threshold}% on ${each.value}"
  namespace           = "AWS/ElastiCache"
  metric_name         = "DatabaseMemoryUsagePercentage"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 2
  threshold           = var.cache_memory_percent_threshold
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "cache_evictions" {
  for_each = toset(local.cache_node_ids)

  alarm_name          = "${each.value}-evictions"
  alarm_description   = "Redis evicted keys on ${each.value}: sessions are being lost"
  namespace           = "AWS/ElastiCache"
  metric_name         = "Evictions"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}

# A failover shows as a node's replication lag spiking; the event itself reaches the topic through the
# replication group's notification_topic_arn (cache module).
resource "aws_cloudwatch_metric_alarm" "cache_replication_lag" {
  for_each = toset(local.cache_node_ids)

  alarm_name          = "${each.value}-replication-lag"
  alarm_description   = "Redis replica ${each.value} more than 30 s behind (failover in progress or unhealthy replica)"
  namespace           = "AWS/ElastiCache"
  metric_name         = "ReplicationLag"
  dimensions          = { CacheClusterId = each.value }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 30
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# --- Load balancer --------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  count = var.alb_arn_suffix == null ? 0 : 1

  alarm_name          = "${var.name_prefix}-alb-5xx"
  alarm_description   = "More than ${var.alb_5xx_threshold} 5xx responses (load balancer plus app) in 5 minutes"
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alb_5xx_threshold
  evaluation_periods  = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "total"
    expression  = "FILL(elb, 0) + FILL(target, 0)"
    label       = "5xx responses"
    return_data = true
  }
  metric_query {
    id = "elb"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }
  metric_query {
    id = "target"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 300
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "alb_latency" {
  count = var.alb_arn_suffix == null ? 0 : 1

  alarm_name          = "${var.name_prefix}-alb-p95-latency"
  alarm_description   = "p95 target response time above ${var.alb_p95_latency_seconds} s (SLO) for 15 minutes"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  dimensions          = { LoadBalancer = var.alb_arn_suffix }
  extended_statistic  = "p95"
  period              = 300
  evaluation_periods  = 3
  threshold           = var.alb_p95_latency_seconds
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

# --- Backups: metrics published by the backup job (BACKUP_METRICS_SINK=cloudwatch) -----

# Every successful run publishes LastSuccessTimestamp once. An hour without one counts as breaching, so the
# alarm fires when the newest successful backup is older than backup_max_age_hours - including when the
# job stops reporting altogether.
resource "aws_cloudwatch_metric_alarm" "backup_age" {
  alarm_name          = "${var.name_prefix}-backup-age"
  alarm_description   = "No successful ${var.environment} backup in the last ${var.backup_max_age_hours} hours (${local.backup_ns} LastSuccessTimestamp)"
  namespace           = local.backup_ns
  metric_name         = "LastSuccessTimestamp"
  dimensions          = { Environment = var.environment }
  statistic           = "SampleCount"
  period              = 3600
  evaluation_periods  = var.backup_max_age_hours
  datapoints_to_alarm = var.backup_max_age_hours
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "backup_size" {
  alarm_name          = "${var.name_prefix}-backup-size"
  alarm_description   = "A ${var.environment} backup was smaller than ${var.backup_min_size_bytes} bytes (${local.backup_ns} BackupSizeBytes)"
  namespace           = local.backup_ns
  metric_name         = "BackupSizeBytes"
  dimensions          = { Environment = var.environment }
  statistic           = "Minimum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = var.backup_min_size_bytes
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
}
