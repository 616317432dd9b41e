data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id       = data.aws_caller_identity.current.account_id
  topic_publishers = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "elasticache.amazonaws.com", "aps.amazonaws.com"]
  alarm_actions    = [aws_sns_topic.alarms.arn]
  backup_ns        = "Notejam/Backup"
  cache_node_ids   = var.cache_replication_group_id == null ? [] : [for i in range(var.cache_node_count) : format("%s-%03d", var.cache_replication_group_id, i + 1)]
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
        # Every service that publishes to the encrypted topic needs the key: CloudWatch alarms, EventBridge,
        # ElastiCache's event notifications (failover, node replacement) and the AMP alert manager.
        Sid       = "ServicesPublishToEncryptedTopic"
        Effect    = "Allow"
        Principal = { Service = local.topic_publishers }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
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

# Without a topic policy only the account's principals may publish; the services above publish as themselves.
resource "aws_sns_topic_policy" "alarms" {
  arn = aws_sns_topic.alarms.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountManagesTopic"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root" }
        Action    = ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:ListSubscriptionsByTopic"]
        Resource  = aws_sns_topic.alarms.arn
      },
      {
        Sid       = "ServicesPublishAlarmsAndEvents"
        Effect    = "Allow"
        Principal = { Service = local.topic_publishers }
        Action    = ["sns:Publish", "sns:GetTopicAttributes"]
        Resource  = aws_sns_topic.alarms.arn
        Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
      },
    ]
  })
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
  alarm_description   = "No successful ${var.environment} backup in the last ${var.backup_max_age_hours} hours (${local.backup_success_metric.namespace} ${local.backup_success_metric.name})"
  namespace           = local.backup_success_metric.namespace
  metric_name         = local.backup_success_metric.name
  dimensions          = local.backup_success_metric.dimensions
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
  count = var.backup_metrics_sink == "cloudwatch" ? 1 : 0

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

# --- Backup and restore-drill outcomes from the jobs' own log lines --------------------------------------------
# The backup CLI writes one JSON object per step (backup-jobs EventLog: logger notejam-backup, command, step) and
# ends a failed run with step "failed", a successful one with step "done". The log shipper (local.fluent_bit_config)
# sends each line unchanged to the backup log group, so these filters see failures of backup and verify alike,
# whichever metrics sink the job uses. With BACKUP_METRICS_SINK=log (dev) the "done" lines also stand in for the
# LastSuccessTimestamp metric, so dev's backup-age alarm watches real runs instead of a metric nobody publishes.

locals {
  backup_log_group = coalesce(var.backup_log_group_name, try(aws_cloudwatch_log_group.this["backup"].name, null), "none")
  backup_log_ns    = "Notejam/BackupLog/${var.environment}"
  backup_log_lines = {
    BackupFailed       = { command = "backup", step = "failed" }
    BackupSucceeded    = { command = "backup", step = "done" }
    RestoreDrillFailed = { command = "verify", step = "failed" }
    RestoreDrillPassed = { command = "verify", step = "done" }
  }
  # The line's fields at the top level (this module's shipper: the line unchanged) or under log_processed (the
  # amazon-cloudwatch-observability add-on's Fluent Bit, which merges a JSON line under that key).
  backup_outcomes = local.backup_log_group == "none" ? {} : {
    for name, line in local.backup_log_lines : name => format("{ %s || %s }",
      "($.logger = \"notejam-backup\" && $.command = \"${line.command}\" && $.step = \"${line.step}\")",
      "($.log_processed.logger = \"notejam-backup\" && $.log_processed.command = \"${line.command}\" && $.log_processed.step = \"${line.step}\")"
    )
  }
  # With the CloudWatch sink the CLI also publishes its own failure counts (backup-jobs report/JobOutcome): a failed
  # run alarms from whichever of the two arrives, so neither a broken log shipper nor a failed PutMetricData hides it.
  backup_failure_sources = {
    BackupFailed       = { alarm = "backup-failed", cli_metric = "BackupFailures" }
    RestoreDrillFailed = { alarm = "restore-drill-failed", cli_metric = "RestoreDrillFailures" }
  }
  backup_success_metric = var.backup_metrics_sink == "cloudwatch" ? {
    namespace = local.backup_ns, name = "LastSuccessTimestamp", dimensions = { Environment = var.environment }
    } : {
    namespace = local.backup_log_ns, name = "BackupSucceeded", dimensions = {}
  }
}

resource "aws_cloudwatch_log_metric_filter" "backup_outcome" {
  for_each = local.backup_outcomes

  name           = "${var.name_prefix}-${each.key}"
  log_group_name = local.backup_log_group
  pattern        = each.value

  metric_transformation {
    namespace = local.backup_log_ns
    name      = each.key
    value     = "1"
    unit      = "Count"
  }
}

resource "aws_cloudwatch_metric_alarm" "backup_failed" {
  for_each = length(local.backup_outcomes) > 0 || var.backup_metrics_sink == "cloudwatch" ? local.backup_failure_sources : {}

  alarm_name          = "${var.name_prefix}-${each.value.alarm}"
  alarm_description   = each.key == "BackupFailed" ? "A ${var.environment} backup run failed (its log ended with step failed, or it published BackupFailures); see docs/operating-notejam.md" : "The ${var.environment} restore drill (verify --latest) failed: treat the newest backup as not restorable; see docs/operating-notejam.md"
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions

  metric_query {
    id          = "failed"
    expression  = "MAX([${join(", ", concat(length(local.backup_outcomes) > 0 ? ["FILL(log, 0)"] : [], var.backup_metrics_sink == "cloudwatch" ? ["FILL(cli, 0)"] : []))}])"
    label       = "failed ${each.key == "BackupFailed" ? "backup" : "restore drill"} runs"
    return_data = true
  }
  dynamic "metric_query" {
    for_each = length(local.backup_outcomes) > 0 ? [each.key] : []
    content {
      id = "log"
      metric {
        namespace   = local.backup_log_ns
        metric_name = metric_query.value
        stat        = "Sum"
        period      = 3600
      }
    }
  }
  dynamic "metric_query" {
    for_each = var.backup_metrics_sink == "cloudwatch" ? [each.value.cli_metric] : []
    content {
      id = "cli"
      metric {
        namespace   = local.backup_ns
        metric_name = metric_query.value
        dimensions  = { Environment = var.environment }
        stat        = "Sum"
        period      = 3600
      }
    }
  }

  depends_on = [aws_cloudwatch_log_metric_filter.backup_outcome]
}

# --- Amazon Managed Service for Prometheus: the one Prometheus-compatible store per environment ------------------

resource "aws_prometheus_workspace" "this" {
  count = var.prometheus.enabled ? 1 : 0

  alias       = var.name_prefix
  kms_key_arn = aws_kms_key.observability.arn

  logging_configuration {
    log_group_arn = "${aws_cloudwatch_log_group.prometheus[0].arn}:*"
  }
}

resource "aws_cloudwatch_log_group" "prometheus" {
  count = var.prometheus.enabled ? 1 : 0

  name              = "/aws/vendedlogs/prometheus/${var.name_prefix}"
  retention_in_days = 30
  kms_key_id        = aws_kms_key.observability.arn
}

# Rule files (the chart's files/prometheus/notejam-rules.yaml, read by the stack): the same rules promtool tests and
# the live test evaluates.
resource "aws_prometheus_rule_group_namespace" "this" {
  for_each = var.prometheus.enabled ? var.prometheus.rule_files : {}

  name         = each.key
  workspace_id = aws_prometheus_workspace.this[0].id
  data         = each.value
}

# Routes by severity: critical pages at once and repeats hourly, warning is grouped and repeats twice a day. Both
# reach the on-call topic with a severity attribute, so a pager subscription can filter on critical.
resource "aws_prometheus_alert_manager_definition" "this" {
  count = var.prometheus.enabled ? 1 : 0

  workspace_id = aws_prometheus_workspace.this[0].id
  definition   = local.alertmanager_config
}

locals {
  alertmanager_config = yamlencode({
    alertmanager_config = yamlencode({
      route = {
        receiver        = "oncall-warning"
        group_by        = ["alertname", "namespace"]
        group_wait      = "30s"
        group_interval  = "5m"
        repeat_interval = "12h"
        routes = [
          { matchers = ["severity=\"critical\""], receiver = "oncall-critical", group_wait = "10s", repeat_interval = "1h" },
        ]
      }
      # A firing critical alert of a namespace silences its warnings (one page, not a page and a ticket).
      inhibit_rules = [{ source_matchers = ["severity=\"critical\""], target_matchers = ["severity=\"warning\""], equal = ["namespace", "alertname"] }]
      receivers = [for severity in ["critical", "warning"] : {
        name = "oncall-${severity}"
        sns_configs = [{
          topic_arn  = aws_sns_topic.alarms.arn
          sigv4      = { region = data.aws_region.current.name }
          subject    = "[${upper(severity)}] {{ .CommonLabels.alertname }} ${var.environment}"
          attributes = { severity = severity, environment = var.environment }
        }]
      }]
    })
  })

  # What the managed scraper collects: the app's pods (port "management", /actuator/prometheus, the chart's
  # contract), kube-state-metrics (installed by the cluster add-on layer) and the scraper's own health. The
  # namespace label is kept, because every rule aggregates by it.
  scrape_config = yamlencode({
    global = { scrape_interval = var.prometheus.scrape_interval, external_labels = { environment = var.environment } }
    scrape_configs = [
      {
        job_name              = "notejam"
        metrics_path          = "/actuator/prometheus"
        kubernetes_sd_configs = [{ role = "pod", namespaces = { names = [var.prometheus.app_namespace] } }]
        relabel_configs = [
          { source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], regex = "notejam", action = "keep" },
          { source_labels = ["__meta_kubernetes_pod_container_port_name"], regex = "management", action = "keep" },
          { source_labels = ["__meta_kubernetes_namespace"], target_label = "namespace" },
          { source_labels = ["__meta_kubernetes_pod_name"], target_label = "pod" },
        ]
      },
      {
        job_name              = "kube-state-metrics"
        kubernetes_sd_configs = [{ role = "endpoints" }]
        relabel_configs = [
          # kube-prometheus-stack names it <release>-kube-state-metrics
          { source_labels = ["__meta_kubernetes_service_name"], regex = "(.+-)?kube-state-metrics", action = "keep" },
          { source_labels = ["__meta_kubernetes_endpoint_port_name"], regex = "http", action = "keep" },
        ]
      },
    ]
  })
}

resource "aws_prometheus_scraper" "this" {
  # On the subnets (their number is known at plan), not the cluster ARN, which is unknown until the cluster exists.
  count = var.prometheus.enabled && length(var.prometheus.scraper_subnet_ids) > 0 ? 1 : 0

  alias                = var.name_prefix
  scrape_configuration = local.scrape_config

  source {
    eks {
      cluster_arn        = var.prometheus.eks_cluster_arn
      subnet_ids         = var.prometheus.scraper_subnet_ids
      security_group_ids = var.prometheus.scraper_security_group_ids
    }
  }

  destination {
    amp {
      workspace_arn = aws_prometheus_workspace.this[0].arn
    }
  }
}

# The scraper's service-linked role reads the cluster's API (pods, endpoints) as a Kubernetes user; the add-on
# layer's platform-config chart binds that user to a read-only ClusterRole.
resource "aws_eks_access_entry" "scraper" {
  count = length(aws_prometheus_scraper.this)

  cluster_name  = element(split("/", var.prometheus.eks_cluster_arn), 1)
  principal_arn = aws_prometheus_scraper.this[0].role_arn
  user_name     = var.prometheus.scraper_kubernetes_user
  type          = "STANDARD"
}

# --- Log shipping: what the cluster's Fluent Bit (installed by the add-on layer) sends where --------------------

locals {
  # Each container's stdout line goes unchanged (log_key log) to the group of its namespace: the app's ECS JSON to
  # "application", the backup jobs' JSON to "backup", so the metric filters above can read the backup lines.
  # Container log files are <pod>_<namespace>_<container>-<id>.log: the app's container is "notejam", the backup
  # CronJobs' are "backup" and "verify" (helm-charts).
  shipped_containers = { application = "notejam", backup = "(backup|verify)" }
  fluent_bit_outputs = join("\n", [for key, containers in local.shipped_containers : <<-EOT
    [OUTPUT]
        Name              cloudwatch_logs
        Match_Regex       kube\.var\.log\.containers\..*_${var.prometheus.app_namespace}_${containers}-.*
        region            ${data.aws_region.current.name}
        log_group_name    ${aws_cloudwatch_log_group.this[key].name}
        log_stream_prefix $${kubernetes['pod_name']}.
        log_key           log
        auto_create_group false
    EOT
  if contains(keys(var.log_groups), key)])
}

data "aws_iam_policy_document" "log_shipper" {
  statement {
    sid       = "WriteToTheEnvironmentsLogGroups"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = flatten([for g in aws_cloudwatch_log_group.this : [g.arn, "${g.arn}:log-stream:*"]])
  }
}

# The cluster's own Prometheus (kube-prometheus-stack of the add-on layer) may send everything here instead of the
# managed scraper: this policy is what its IRSA role needs, nothing more.
data "aws_iam_policy_document" "remote_write" {
  count = var.prometheus.enabled ? 1 : 0

  statement {
    sid       = "RemoteWriteToThisWorkspace"
    actions   = ["aps:RemoteWrite"]
    resources = [aws_prometheus_workspace.this[0].arn]
  }
}
