# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name_prefix                = "notejam-prod"
  environment                = "prod"
  alarm_email_addresses      = ["oncall@example.com"]
  db_instance_identifier     = "notejam-prod"
  cache_replication_group_id = "notejam-prod"
  cache_node_count           = 3
  alb_arn_suffix             = "app/notejam-prod/50dc6c495c0c9188"
}

run "alarms_incl_backup_age_reach_the_topic_and_logs_are_retained" {
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.backup_age.namespace == "Notejam/Backup" &&
      aws_cloudwatch_metric_alarm.backup_age.metric_name == "LastSuccessTimestamp" &&
      aws_cloudwatch_metric_alarm.backup_age.dimensions["Environment"] == "prod" && length(aws_cloudwatch_metric_alarm.backup_age.dimensions) == 1
    )
    error_message = "R2/R7: the backup-age alarm must watch Notejam/Backup LastSuccessTimestamp for this environment."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.backup_age.treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.backup_age.period * aws_cloudwatch_metric_alarm.backup_age.evaluation_periods == 26 * 3600
    error_message = "R2/R7: silence from the backup job for 26 hours must raise the alarm."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.backup_size.metric_name == "BackupSizeBytes" && aws_cloudwatch_metric_alarm.backup_size.dimensions.Environment == "prod"
    error_message = "R7: a suspiciously small backup must raise an alarm."
  }
  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.database)) == toset(["cpu", "free-storage", "connections"])
    error_message = "R7: RDS CPU, storage and connection alarms must exist."
  }
  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.cache_memory)) == toset(["notejam-prod-001", "notejam-prod-002", "notejam-prod-003"]) && length(aws_cloudwatch_metric_alarm.cache_evictions) == 3 && length(aws_cloudwatch_metric_alarm.cache_replication_lag) == 3
    error_message = "R7: every cache node needs memory, eviction and replication-lag alarms."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.alb_latency[0].extended_statistic == "p95" && aws_cloudwatch_metric_alarm.alb_latency[0].threshold == 0.3 && length(aws_cloudwatch_metric_alarm.alb_5xx) == 1
    error_message = "R7: ALB 5xx and p95 latency (SLO 300 ms) alarms must exist."
  }
  assert {
    condition = alltrue([for a in concat(values(aws_cloudwatch_metric_alarm.database), values(aws_cloudwatch_metric_alarm.cache_memory), aws_cloudwatch_metric_alarm.alb_5xx, [aws_cloudwatch_metric_alarm.backup_age]) :
    a.alarm_actions == toset([aws_sns_topic.alarms.arn])])
    error_message = "R7: every alarm must notify the alarm topic."
  }
  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.observability.arn
    error_message = "R8: the alarm topic must be encrypted."
  }
  assert {
    condition     = aws_cloudwatch_log_group.this["application"].name == "/notejam/prod/application" && alltrue([for g in aws_cloudwatch_log_group.this : g.retention_in_days > 0 && g.kms_key_id == aws_kms_key.observability.arn])
    error_message = "R7: log groups must have a finite retention and be encrypted."
  }
}

run "no_load_balancer_alarms_before_the_first_deployment" {
  variables {
    alb_arn_suffix             = null
    db_instance_identifier     = null
    cache_replication_group_id = null
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.alb_5xx) == 0 && length(aws_cloudwatch_metric_alarm.database) == 0 && length(aws_cloudwatch_metric_alarm.cache_memory) == 0
    error_message = "Alarms for absent resources must not be created."
  }
}

run "rejects_a_backup_age_beyond_seven_days" {
  command = plan
  variables {
    backup_max_age_hours = 200
  }
  expect_failures = [var.backup_max_age_hours]
}
