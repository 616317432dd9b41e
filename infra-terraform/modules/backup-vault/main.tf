data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_region" "dr" {
  provider = aws.dr
}

locals {
  partition  = data.aws_partition.current.partition
  account_id = data.aws_caller_identity.current.account_id
  dr_count   = var.dr_copy_enabled ? 1 : 0
  lock_count = var.vault_lock.mode == "none" ? 0 : 1
  # changeable_for_days is what makes a lock compliance mode; without it the lock is governance mode.
  changeable_for_days = var.vault_lock.mode == "compliance" ? var.vault_lock.changeable_for_days : null

  # Restore testing names allow letters, digits and underscores only.
  restore_testing_name = "${replace(var.name_prefix, "-", "_")}_rds_restore_test"

  # Tag conditions shared by the backup selection and the restore-testing selection.
  tag_conditions = [for k, v in var.selection_tags : { key = "aws:ResourceTag/${k}", value = v }]

  copy_targets = concat(
    var.dr_copy_enabled ? [aws_backup_vault.dr[0].arn] : [],
    var.backup_account_vault_arn == null ? [] : [var.backup_account_vault_arn],
  )
}

# --- Vaults ---------------------------------------------------------------------------

resource "aws_kms_key" "vault" {
  description             = "${var.name_prefix} AWS Backup vault"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "vault" {
  name          = "alias/${var.name_prefix}-backup-vault"
  target_key_id = aws_kms_key.vault.key_id
}

resource "aws_backup_vault" "this" {
  name        = "${var.name_prefix}-vault"
  kms_key_arn = aws_kms_key.vault.arn
}

# Compliance mode: once changeable_for_days have passed, the lock, the minimum retention and every recovery point
# in the vault are immutable for everybody, including the root user; until then `terraform destroy` or
# DeleteBackupVaultLockConfiguration can still remove it (the cooling-off period to test the setup).
resource "aws_backup_vault_lock_configuration" "this" {
  count = local.lock_count

  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = var.retention_days
  changeable_for_days = local.changeable_for_days
}

resource "aws_kms_key" "dr" {
  count    = local.dr_count
  provider = aws.dr

  description             = "${var.name_prefix} AWS Backup vault in the DR region"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "dr" {
  count    = local.dr_count
  provider = aws.dr

  name          = "alias/${var.name_prefix}-backup-vault-dr"
  target_key_id = aws_kms_key.dr[0].key_id
}

resource "aws_backup_vault" "dr" {
  count    = local.dr_count
  provider = aws.dr

  name        = "${var.name_prefix}-vault-dr"
  kms_key_arn = aws_kms_key.dr[0].arn

  lifecycle {
    precondition {
      condition     = data.aws_region.dr.name != data.aws_region.current.name
      error_message = "R4: the aws.dr provider must point at a different region than the primary."
    }
  }
}

resource "aws_backup_vault_lock_configuration" "dr" {
  count    = local.dr_count * local.lock_count
  provider = aws.dr

  backup_vault_name   = aws_backup_vault.dr[0].name
  min_retention_days  = var.retention_days
  changeable_for_days = local.changeable_for_days
}

# --- Service role -----------------------------------------------------------------------

resource "aws_iam_role" "backup" {
  name = "${var.name_prefix}-aws-backup"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "backup.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = local.account_id } }
    }]
  })
}

# AWS-managed service policies: snapshot, copy and restore of the selected resources, nothing else.
resource "aws_iam_role_policy_attachment" "backup" {
  for_each = toset(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"])

  role       = aws_iam_role.backup.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/${each.key}"
}

# --- Plan and selection -----------------------------------------------------------------

resource "aws_backup_plan" "this" {
  name = "${var.name_prefix}-daily"

  rule {
    rule_name         = "daily-${var.retention_days}-days"
    target_vault_name = aws_backup_vault.this.name
    schedule          = var.schedule
    start_window      = var.start_window_minutes
    completion_window = var.completion_window_minutes

    lifecycle {
      cold_storage_after                        = var.cold_storage_after_days
      delete_after                              = var.retention_days
      opt_in_to_archive_for_supported_resources = true
    }

    recovery_point_tags = {
      environment = var.environment
    }

    dynamic "copy_action" {
      for_each = local.copy_targets
      content {
        destination_vault_arn = copy_action.value
        lifecycle {
          cold_storage_after                        = var.cold_storage_after_days
          delete_after                              = var.retention_days
          opt_in_to_archive_for_supported_resources = true
        }
      }
    }
  }
}

# Every RDS instance of this account and region that carries all selection_tags.
resource "aws_backup_selection" "rds" {
  name         = "${var.name_prefix}-rds"
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.backup.arn
  resources    = ["arn:${local.partition}:rds:${data.aws_region.current.name}:${local.account_id}:db:*"]

  condition {
    dynamic "string_equals" {
      for_each = local.tag_conditions
      content {
        key   = string_equals.value.key
        value = string_equals.value.value
      }
    }
  }
}

# --- Restore testing ---------------------------------------------------------------------

resource "aws_backup_restore_testing_plan" "this" {
  count = var.restore_testing.enabled ? 1 : 0

  name                = local.restore_testing_name
  schedule_expression = var.restore_testing.schedule
  start_window_hours  = 24

  recovery_point_selection {
    algorithm             = "LATEST_WITHIN_WINDOW"
    include_vaults        = [aws_backup_vault.this.arn]
    recovery_point_types  = ["SNAPSHOT"]
    selection_window_days = var.restore_testing.selection_window_days
  }
}

resource "aws_backup_restore_testing_selection" "rds" {
  count = var.restore_testing.enabled ? 1 : 0

  name                       = "rds"
  restore_testing_plan_name  = aws_backup_restore_testing_plan.this[0].name
  protected_resource_type    = "RDS"
  iam_role_arn               = aws_iam_role.backup.arn
  validation_window_hours    = var.restore_testing.validation_window_hours
  restore_metadata_overrides = var.restore_testing.restore_metadata_overrides

  protected_resource_conditions {
    dynamic "string_equals" {
      for_each = local.tag_conditions
      content {
        key   = string_equals.value.key
        value = string_equals.value.value
      }
    }
  }
}

# --- Alarms to on-call ----------------------------------------------------------------------

locals {
  # AWS/Backup publishes job counts per vault; a failed restore test is a failed restore job.
  failure_alarms = {
    backup-job-failed  = { metric = "NumberOfBackupJobsFailed", vault = aws_backup_vault.this.name, what = "an AWS Backup job of the RDS database failed" }
    copy-job-failed    = { metric = "NumberOfCopyJobsFailed", vault = aws_backup_vault.this.name, what = "copying a recovery point to the DR region or the backup account failed" }
    restore-job-failed = { metric = "NumberOfRestoreJobsFailed", vault = aws_backup_vault.this.name, what = "a restore (or a scheduled restore test) from the vault failed" }
  }
}

resource "aws_cloudwatch_metric_alarm" "failed" {
  for_each = local.failure_alarms

  alarm_name          = "${var.name_prefix}-aws-backup-${each.key}"
  alarm_description   = "${each.value.what}: see docs/runbooks/backup-and-restore.md"
  namespace           = "AWS/Backup"
  metric_name         = each.value.metric
  dimensions          = { BackupVaultName = each.value.vault }
  statistic           = "Sum"
  period              = 3600
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}

# No completed backup job for a day and a half: the selection matches nothing, or the plan stopped running.
resource "aws_cloudwatch_metric_alarm" "no_backup" {
  alarm_name          = "${var.name_prefix}-aws-backup-none-completed"
  alarm_description   = "No AWS Backup job completed into ${aws_backup_vault.this.name} in 36 hours: see docs/runbooks/backup-and-restore.md"
  namespace           = "AWS/Backup"
  metric_name         = "NumberOfBackupJobsCompleted"
  dimensions          = { BackupVaultName = aws_backup_vault.this.name }
  statistic           = "Sum"
  period              = 21600
  evaluation_periods  = 6
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  alarm_actions       = [var.alarm_topic_arn]
  ok_actions          = [var.alarm_topic_arn]
}
