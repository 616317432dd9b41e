# AWS APIs cannot run here: the providers are mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws"

  mock_data "aws_region" {
    defaults = {
      name = "eu-central-1"
    }
  }
}

override_resource {
  target = aws_backup_vault.this
  values = {
    arn = "arn:aws:backup:eu-west-1:111122223333:backup-vault:notejam-prod-vault"
  }
}

override_resource {
  target = aws_backup_vault.dr
  values = {
    arn = "arn:aws:backup:eu-central-1:111122223333:backup-vault:notejam-prod-vault-dr"
  }
}

variables {
  name_prefix     = "notejam-prod"
  environment     = "prod"
  selection_tags  = { environment = "prod", service = "notejam" }
  vault_lock      = { mode = "compliance", changeable_for_days = 3 }
  alarm_topic_arn = "arn:aws:sns:eu-west-1:111122223333:notejam-prod-alarms"
}

run "prod_keeps_daily_rds_recovery_points_1095_days_in_a_compliance_locked_vault_copied_to_dr_and_restore_tested" {
  # The names and ARNs the stack outputs (backup_vault) and the restore runbook use, in both regions.
  assert {
    condition     = output.vault_name == "notejam-prod-vault" && output.vault_arn == "arn:aws:backup:eu-west-1:111122223333:backup-vault:notejam-prod-vault"
    error_message = "The vault outputs must name the environment's vault in its own region."
  }
  assert {
    condition     = output.dr_vault_name == "notejam-prod-vault-dr" && output.dr_vault_arn == "arn:aws:backup:eu-central-1:111122223333:backup-vault:notejam-prod-vault-dr" && output.dr_region == "eu-central-1"
    error_message = "The DR vault outputs must name the copy target in the DR region."
  }
  assert {
    condition     = one(aws_backup_plan.this.rule).schedule == "cron(0 3 * * ? *)" && one(aws_backup_plan.this.rule).target_vault_name == aws_backup_vault.this.name
    error_message = "R2: the plan must back up daily into the environment's vault."
  }
  assert {
    condition     = one(one(aws_backup_plan.this.rule).lifecycle).delete_after == 1095
    error_message = "R2: recovery points must be kept exactly 1095 days (3 years)."
  }
  assert {
    condition     = one(one(aws_backup_plan.this.rule).lifecycle).cold_storage_after == 90 && one(one(aws_backup_plan.this.rule).lifecycle).cold_storage_after + 90 <= 1095
    error_message = "R2: recovery points must move to cold storage after 90 days, at least 90 days before they expire."
  }
  assert {
    condition     = length(aws_backup_vault_lock_configuration.this) == 1 && aws_backup_vault_lock_configuration.this[0].min_retention_days == 1095 && aws_backup_vault_lock_configuration.this[0].changeable_for_days == 3
    error_message = "R2: the prod vault must carry a compliance-mode lock (changeable_for_days set, 3-day cooling-off) with a 1095-day minimum retention."
  }
  assert {
    condition     = length(aws_backup_vault_lock_configuration.dr) == 1 && aws_backup_vault_lock_configuration.dr[0].min_retention_days == 1095 && aws_backup_vault_lock_configuration.dr[0].changeable_for_days == 3
    error_message = "R2/R4: the DR vault must be locked like the primary one."
  }
  assert {
    condition     = output.settings.copy_targets == ["arn:aws:backup:eu-central-1:111122223333:backup-vault:notejam-prod-vault-dr"] && output.settings.copy_delete_after == [1095]
    error_message = "R4: every recovery point must be copied to the DR region's vault and kept 1095 days there."
  }
  assert {
    condition     = aws_backup_selection.rds.resources == toset(["arn:aws:rds:eu-west-1:111122223333:db:*"])
    error_message = "The selection must cover RDS instances of this account and region only."
  }
  assert {
    condition = toset([for c in one(aws_backup_selection.rds.condition).string_equals : "${c.key}=${c.value}"]) == toset([
      "aws:ResourceTag/environment=prod", "aws:ResourceTag/service=notejam",
    ])
    error_message = "The selection must be by the environment and service tags."
  }
  assert {
    condition = (
      one(aws_backup_restore_testing_plan.this[0].recovery_point_selection).algorithm == "LATEST_WITHIN_WINDOW" &&
      one(aws_backup_restore_testing_plan.this[0].recovery_point_selection).include_vaults == toset([aws_backup_vault.this.arn]) &&
      aws_backup_restore_testing_selection.rds[0].protected_resource_type == "RDS" &&
      aws_backup_restore_testing_selection.rds[0].restore_testing_plan_name == aws_backup_restore_testing_plan.this[0].name
    )
    error_message = "A restore-testing plan must restore the latest RDS recovery point of the vault on a schedule."
  }
  assert {
    condition     = can(regex("^[A-Za-z0-9_]+$", aws_backup_restore_testing_plan.this[0].name))
    error_message = "Restore testing plan names allow letters, digits and underscores only."
  }
  assert {
    condition = toset([for a in aws_cloudwatch_metric_alarm.failed : a.metric_name]) == toset(["NumberOfBackupJobsFailed", "NumberOfCopyJobsFailed", "NumberOfRestoreJobsFailed"]) && alltrue([
      for a in concat(values(aws_cloudwatch_metric_alarm.failed), [aws_cloudwatch_metric_alarm.no_backup]) : a.alarm_actions == toset(["arn:aws:sns:eu-west-1:111122223333:notejam-prod-alarms"])
    ])
    error_message = "R7: failed backup, copy and restore(-test) jobs and a missing daily backup must alarm to the on-call topic."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.no_backup.treat_missing_data == "breaching" && aws_cloudwatch_metric_alarm.no_backup.period * aws_cloudwatch_metric_alarm.no_backup.evaluation_periods <= 36 * 3600
    error_message = "R7: no completed backup within 36 hours must alarm, also when AWS Backup publishes nothing."
  }
  assert {
    condition     = jsondecode(aws_iam_role.backup.assume_role_policy).Statement[0].Principal.Service == "backup.amazonaws.com" && jsondecode(aws_iam_role.backup.assume_role_policy).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "111122223333"
    error_message = "R8: only AWS Backup, acting for this account, may assume the service role."
  }
}

run "a_separate_backup_account_receives_a_third_copy" {
  variables {
    backup_account_vault_arn = "arn:aws:backup:eu-central-1:444455556666:backup-vault:notejam-prod-offsite"
  }
  assert {
    condition     = contains(output.settings.copy_targets, "arn:aws:backup:eu-central-1:444455556666:backup-vault:notejam-prod-offsite") && length(output.settings.copy_targets) == 2 && output.settings.copy_delete_after == [1095, 1095]
    error_message = "R4: with a backup account, every recovery point must also be copied there and kept 1095 days."
  }
}

run "test_environment_may_use_a_governance_lock_and_no_dr_copy" {
  variables {
    name_prefix     = "notejam-test"
    environment     = "test"
    selection_tags  = { environment = "test", service = "notejam" }
    vault_lock      = { mode = "governance" }
    dr_copy_enabled = false
  }
  assert {
    condition     = output.vault_name == "notejam-test-vault" && output.dr_vault_name == null && output.dr_vault_arn == null && output.dr_region == null
    error_message = "Without a DR copy there is no DR vault to name."
  }
  assert {
    condition     = length(aws_backup_vault_lock_configuration.this) == 1 && aws_backup_vault_lock_configuration.this[0].changeable_for_days == null && length(aws_backup_vault.dr) == 0 && output.settings.copy_targets == []
    error_message = "A governance-mode lock has no changeable_for_days, and without DR copy there is no DR vault."
  }
}

run "rejects_retention_under_three_years" {
  command = plan
  variables {
    retention_days = 1094
  }
  expect_failures = [var.retention_days]
}

run "rejects_prod_vault_without_compliance_lock" {
  command = plan
  variables {
    vault_lock = { mode = "governance" }
  }
  expect_failures = [var.vault_lock]
}

run "rejects_prod_vault_without_any_lock" {
  command = plan
  variables {
    vault_lock = { mode = "none" }
  }
  expect_failures = [var.vault_lock]
}

run "rejects_compliance_lock_without_a_cooling_off_period" {
  command = plan
  variables {
    vault_lock = { mode = "compliance", changeable_for_days = 1 }
  }
  expect_failures = [var.vault_lock]
}

run "rejects_prod_without_dr_copy" {
  command = plan
  variables {
    dr_copy_enabled = false
  }
  expect_failures = [var.dr_copy_enabled]
}

run "rejects_cold_storage_less_than_90_days_before_expiry" {
  command = plan
  variables {
    cold_storage_after_days = 1010
  }
  expect_failures = [var.cold_storage_after_days]
}

run "rejects_an_empty_tag_selection" {
  command = plan
  variables {
    selection_tags = {}
  }
  expect_failures = [var.selection_tags]
}
