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
    [aws_cloudwatch_metric_alarm.backup_age.alarm_name, aws_cloudwatch_metric_alarm.backup_size.alarm_name],
  )
}

output "backup_age_alarm_name" {
  description = "Name of the backup-age alarm."
  value       = aws_cloudwatch_metric_alarm.backup_age.alarm_name
}
