# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

# The scraper validates the workspace ARN; the mock's generated one would not pass.
override_resource {
  target = aws_prometheus_workspace.this
  values = {
    id                  = "ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    arn                 = "arn:aws:aps:eu-west-1:111122223333:workspace/ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    prometheus_endpoint = "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/"
  }
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
    condition     = aws_cloudwatch_metric_alarm.backup_size[0].metric_name == "BackupSizeBytes" && aws_cloudwatch_metric_alarm.backup_size[0].dimensions.Environment == "prod"
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

run "elasticache_and_the_alert_manager_may_publish_to_the_encrypted_topic" {
  assert {
    condition = alltrue([for service in ["elasticache.amazonaws.com", "aps.amazonaws.com", "cloudwatch.amazonaws.com"] :
      contains(one([for s in jsondecode(aws_kms_key.observability.policy).Statement : s if s.Sid == "ServicesPublishToEncryptedTopic"]).Principal.Service, service)
    ])
    error_message = "R7: ElastiCache events and AMP alerts are lost unless the topic's KMS key lets those services encrypt."
  }
  assert {
    condition = alltrue([for service in ["elasticache.amazonaws.com", "aps.amazonaws.com"] :
      contains(one([for s in jsondecode(aws_sns_topic_policy.alarms.policy).Statement : s if s.Sid == "ServicesPublishAlarmsAndEvents"]).Principal.Service, service)
    ]) && aws_sns_topic_policy.alarms.arn == aws_sns_topic.alarms.arn
    error_message = "R7: the topic policy must let ElastiCache and the AMP alert manager publish."
  }
  assert {
    condition     = one([for s in jsondecode(aws_sns_topic_policy.alarms.policy).Statement : s if s.Sid == "ServicesPublishAlarmsAndEvents"]).Condition.StringEquals["aws:SourceAccount"] == "111122223333"
    error_message = "R8: services may publish only on behalf of this account (confused deputy)."
  }
}

run "failed_backups_and_failed_restore_drills_alarm_from_the_jobs_log_lines" {
  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.backup_failed)) == toset(["BackupFailed", "RestoreDrillFailed"]) && alltrue([for a in aws_cloudwatch_metric_alarm.backup_failed : a.alarm_actions == toset([aws_sns_topic.alarms.arn]) && a.threshold == 1])
    error_message = "R2/R7: a failed backup and a failed restore drill must each reach the on-call topic."
  }
  assert {
    condition = (
      strcontains(aws_cloudwatch_log_metric_filter.backup_outcome["RestoreDrillFailed"].pattern, "$.command = \"verify\"") &&
      strcontains(aws_cloudwatch_log_metric_filter.backup_outcome["RestoreDrillFailed"].pattern, "$.step = \"failed\"") &&
      strcontains(aws_cloudwatch_log_metric_filter.backup_outcome["BackupFailed"].pattern, "$.command = \"backup\"") &&
      aws_cloudwatch_log_metric_filter.backup_outcome["BackupFailed"].log_group_name == "/notejam/prod/backup"
    )
    error_message = "R7: the filters must read the backup CLI's own failure lines (logger notejam-backup, command, step failed) in the backup log group."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.backup_age.namespace == "Notejam/Backup" && length(aws_cloudwatch_metric_alarm.backup_size) == 1
    error_message = "With the CloudWatch sink the age alarm watches the job's own metric."
  }
}

run "backup_filters_follow_the_log_group_the_shipper_writes_to" {
  variables {
    backup_log_group_name = "/aws/containerinsights/notejam-prod/application"
  }
  assert {
    condition     = alltrue([for f in aws_cloudwatch_log_metric_filter.backup_outcome : f.log_group_name == "/aws/containerinsights/notejam-prod/application"]) && length(aws_cloudwatch_log_metric_filter.backup_outcome) == 4
    error_message = "The backup outcome filters must read the group the jobs' lines are shipped to."
  }
}

run "dev_with_the_log_sink_watches_its_shipped_backup_lines_instead_of_a_metric_nobody_publishes" {
  variables {
    name_prefix         = "notejam-dev"
    environment         = "dev"
    backup_metrics_sink = "log"
  }
  assert {
    condition = (
      aws_cloudwatch_metric_alarm.backup_age.namespace == "Notejam/BackupLog/dev" &&
      aws_cloudwatch_metric_alarm.backup_age.metric_name == "BackupSucceeded" &&
      length(aws_cloudwatch_metric_alarm.backup_age.dimensions) == 0 &&
      aws_cloudwatch_log_metric_filter.backup_outcome["BackupSucceeded"].metric_transformation[0].namespace == "Notejam/BackupLog/dev"
    )
    error_message = "R7: dev publishes no LastSuccessTimestamp; its age alarm must count the job's 'done' lines, or it stays in ALARM forever."
  }
  assert {
    condition     = length(aws_cloudwatch_metric_alarm.backup_size) == 0
    error_message = "No size alarm on a metric the log sink never publishes."
  }
}

run "with_the_cloudwatch_sink_a_failed_run_alarms_from_the_clis_own_failure_metric_or_its_log_line" {
  assert {
    condition = alltrue([for k, cli in { BackupFailed = "BackupFailures", RestoreDrillFailed = "RestoreDrillFailures" } : (
      one([for q in aws_cloudwatch_metric_alarm.backup_failed[k].metric_query : q if q.id == "cli"]).metric[0].namespace == "Notejam/Backup" &&
      one([for q in aws_cloudwatch_metric_alarm.backup_failed[k].metric_query : q if q.id == "cli"]).metric[0].metric_name == cli &&
      one([for q in aws_cloudwatch_metric_alarm.backup_failed[k].metric_query : q if q.id == "cli"]).metric[0].dimensions["Environment"] == "prod" &&
      one([for q in aws_cloudwatch_metric_alarm.backup_failed[k].metric_query : q if q.id == "log"]).metric[0].metric_name == k &&
      one([for q in aws_cloudwatch_metric_alarm.backup_failed[k].metric_query : q if q.return_data == true]).expression == "MAX([FILL(log, 0), FILL(cli, 0)])"
    )])
    error_message = "R2/R7: the failed-backup and failed-drill alarms must watch the CLI's BackupFailures/RestoreDrillFailures (Notejam/Backup, Environment) as well as its failure log line."
  }
}

run "backup_line_filters_match_the_line_as_shipped_unchanged_or_merged_under_log_processed" {
  assert {
    condition = alltrue([for f in aws_cloudwatch_log_metric_filter.backup_outcome :
      strcontains(f.pattern, "($.logger = \"notejam-backup\"") && strcontains(f.pattern, "($.log_processed.logger = \"notejam-backup\"") && strcontains(f.pattern, " || ")
    ])
    error_message = "R7: the amazon-cloudwatch-observability add-on's Fluent Bit puts a JSON line's fields under log_processed; the filters must read both shapes."
  }
}

run "dev_log_sink_failed_alarms_read_the_log_lines_only" {
  variables {
    name_prefix         = "notejam-dev"
    environment         = "dev"
    backup_metrics_sink = "log"
  }
  assert {
    condition = alltrue([for a in aws_cloudwatch_metric_alarm.backup_failed :
      length(a.metric_query) == 2 && length([for q in a.metric_query : q if q.id == "cli"]) == 0 &&
      one([for q in a.metric_query : q if q.return_data == true]).expression == "MAX([FILL(log, 0)])"
    ]) && length(aws_cloudwatch_metric_alarm.backup_failed) == 2
    error_message = "R7: with the log sink no failure metric reaches CloudWatch; the failed alarms must read the shipped lines only."
  }
}

# The chart's rule file itself (a value produced in one place, consumed here, never copied). The path differs in
# the source tree and in the build's copy under infra-terraform/target/terraform/src, hence the two candidates.
run "amp_loads_the_charts_rules_routes_alerts_by_severity_and_scrapes_what_the_chart_exposes" {
  variables {
    prometheus = {
      rule_files = {
        notejam = try(file("../../../helm-charts/charts/notejam/files/prometheus/notejam-rules.yaml"), file("../../../../../../helm-charts/charts/notejam/files/prometheus/notejam-rules.yaml"))
      }
      eks_cluster_arn    = "arn:aws:eks:eu-west-1:123456789012:cluster/notejam-prod"
      scraper_subnet_ids = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]
    }
  }
  assert {
    condition     = length(yamldecode(aws_prometheus_rule_group_namespace.this["notejam"].data).groups) == 5 && aws_prometheus_rule_group_namespace.this["notejam"].workspace_id == aws_prometheus_workspace.this[0].id
    error_message = "R7: AMP must load the chart's rule file unchanged."
  }
  assert {
    condition     = aws_prometheus_workspace.this[0].kms_key_arn == aws_kms_key.observability.arn && aws_prometheus_workspace.this[0].alias == "notejam-prod"
    error_message = "R8: the metrics store is encrypted with the environment's key."
  }
  assert {
    condition = (
      one(yamldecode(yamldecode(aws_prometheus_alert_manager_definition.this[0].definition).alertmanager_config).route.routes).receiver == "oncall-critical" &&
      alltrue([for r in yamldecode(yamldecode(aws_prometheus_alert_manager_definition.this[0].definition).alertmanager_config).receivers : r.sns_configs[0].topic_arn == aws_sns_topic.alarms.arn])
    )
    error_message = "R7: alerts must be routed by severity to the on-call topic."
  }
  assert {
    condition = (
      one([for j in yamldecode(aws_prometheus_scraper.this[0].scrape_configuration).scrape_configs : j if j.job_name == "notejam"]).metrics_path == "/actuator/prometheus" &&
      contains([for r in one([for j in yamldecode(aws_prometheus_scraper.this[0].scrape_configuration).scrape_configs : j if j.job_name == "notejam"]).relabel_configs : r.regex if try(r.action, "") == "keep"], "management") &&
      aws_prometheus_scraper.this[0].destination[0].amp[0].workspace_arn == aws_prometheus_workspace.this[0].arn
    )
    error_message = "R7: the scraper must read the app's management port at /actuator/prometheus (the chart's contract) into this workspace."
  }
  assert {
    condition     = output.prometheus.remote_write_url == "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/api/v1/remote_write" && data.aws_iam_policy_document.remote_write[0].statement[0].actions == toset(["aps:RemoteWrite"]) && data.aws_iam_policy_document.remote_write[0].statement[0].resources == toset([aws_prometheus_workspace.this[0].arn])
    error_message = "R7/R8: the in-cluster Prometheus may only remote-write, and only to this workspace."
  }
  assert {
    condition     = contains([for j in yamldecode(aws_prometheus_scraper.this[0].scrape_configuration).scrape_configs : j.job_name], "kube-state-metrics")
    error_message = "R7: readiness, HPA and backup alerts need kube-state-metrics scraped."
  }
  assert {
    condition     = aws_eks_access_entry.scraper[0].principal_arn == aws_prometheus_scraper.this[0].role_arn && aws_eks_access_entry.scraper[0].cluster_name == "notejam-prod" && aws_eks_access_entry.scraper[0].user_name == "aps-collector-user" && output.prometheus.scraper_user == "aps-collector-user"
    error_message = "R7: the scraper's role must log in to its cluster as the user the add-on layer's ClusterRoleBinding names, or it discovers no pods."
  }
}

run "log_shipping_sends_the_app_and_the_backup_jobs_to_their_groups_with_least_privilege" {
  assert {
    condition     = strcontains(output.log_shipping.fluent_bit_outputs, "log_group_name    /notejam/prod/application") && strcontains(output.log_shipping.fluent_bit_outputs, "_notejam_(backup|verify)-.*") && strcontains(output.log_shipping.fluent_bit_outputs, "auto_create_group false")
    error_message = "R7: the app's and the backup jobs' stdout must go to their own retained groups."
  }
  assert {
    # The policy document's inputs (the mocked data source renders no real JSON).
    condition = alltrue([for s in data.aws_iam_policy_document.log_shipper.statement :
      !contains(s.resources, "*") && toset(s.actions) == toset(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"])
    ]) && length(data.aws_iam_policy_document.log_shipper.statement[0].resources) >= 2
    error_message = "R8: the log shipper may only write to this environment's groups."
  }
}

run "rejects_a_rule_file_without_groups" {
  command = plan
  variables {
    prometheus = { rule_files = { broken = "rules: []" } }
  }
  expect_failures = [var.prometheus]
}
