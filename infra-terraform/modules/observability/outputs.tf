output "alarm_topic_arn" {
  description = "SNS topic receiving every alarm and the cache's events."
  value       = aws_sns_topic.alarms.arn
}

output "log_group_names" {
  description = "Application log group names keyed by short name."
  value       = { for k, g in aws_cloudwatch_log_group.this : k => g.name }
}

output "alarm_names" {
  description = "Names of all alarms, for the runbooks."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.database : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.cache_memory : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.cache_evictions : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.cache_replication_lag : a.alarm_name],
    aws_cloudwatch_metric_alarm.alb_5xx[*].alarm_name,
    aws_cloudwatch_metric_alarm.alb_latency[*].alarm_name,
    [aws_cloudwatch_metric_alarm.backup_age.alarm_name],
    aws_cloudwatch_metric_alarm.backup_size[*].alarm_name,
    [for a in aws_cloudwatch_metric_alarm.backup_failed : a.alarm_name],
  )
}

output "backup_age_alarm_name" {
  description = "Name of the backup-age alarm."
  value       = aws_cloudwatch_metric_alarm.backup_age.alarm_name
}

output "prometheus" {
  description = "AMP workspace (id, ARN, remote-write/query endpoint), scraper ARN (null until the cluster exists) and the loaded rule namespaces."
  value = var.prometheus.enabled ? {
    workspace_id        = aws_prometheus_workspace.this[0].id
    workspace_arn       = aws_prometheus_workspace.this[0].arn
    prometheus_endpoint = aws_prometheus_workspace.this[0].prometheus_endpoint
    scraper_arn         = try(aws_prometheus_scraper.this[0].arn, null)
    scraper_user        = try(aws_eks_access_entry.scraper[0].user_name, null)
    rule_namespaces     = keys(aws_prometheus_rule_group_namespace.this)
    rule_files_sha256   = { for k, r in aws_prometheus_rule_group_namespace.this : k => sha256(r.data) }
    remote_write_url    = "${aws_prometheus_workspace.this[0].prometheus_endpoint}api/v1/remote_write"
    remote_write_policy = data.aws_iam_policy_document.remote_write[0].json
  } : null
}

output "log_shipping" {
  description = "Collector settings for the cluster's Fluent Bit (installed by the add-on layer): its [OUTPUT] sections and the least-privilege IAM policy of its IRSA role."
  value = {
    fluent_bit_outputs = local.fluent_bit_outputs
    iam_policy_json    = data.aws_iam_policy_document.log_shipper.json
  }
}

output "backup_alarms" {
  description = "What the backup alarms read: the age alarm's metric and missing-data rule, the metrics sink it assumes, the log group of the outcome filters, the failed alarms' metric queries."
  value = {
    metrics_sink       = var.backup_metrics_sink
    age_namespace      = aws_cloudwatch_metric_alarm.backup_age.namespace
    age_metric         = aws_cloudwatch_metric_alarm.backup_age.metric_name
    age_missing_data   = aws_cloudwatch_metric_alarm.backup_age.treat_missing_data
    outcome_log_group  = local.backup_log_group
    outcome_filters    = { for k, f in aws_cloudwatch_log_metric_filter.backup_outcome : k => f.log_group_name }
    failed_expressions = { for k, a in aws_cloudwatch_metric_alarm.backup_failed : k => one([for q in a.metric_query : q.expression if q.return_data == true]) }
  }
}
