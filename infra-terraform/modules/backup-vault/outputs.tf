output "vault_name" {
  description = "Name of the environment's AWS Backup vault."
  value       = aws_backup_vault.this.name
}

output "vault_arn" {
  description = "ARN of the environment's AWS Backup vault."
  value       = aws_backup_vault.this.arn
}

output "dr_vault_arn" {
  description = "ARN of the vault in the DR region that receives a copy of every recovery point (null without DR copy)."
  value       = one(aws_backup_vault.dr[*].arn)
}

output "dr_vault_name" {
  description = "Name of the vault in the DR region (null without DR copy): where a restore after losing the primary region starts."
  value       = one(aws_backup_vault.dr[*].name)
}

output "dr_region" {
  description = "Region of the DR vault (null without DR copy)."
  value       = var.dr_copy_enabled ? data.aws_region.dr.name : null
}

output "plan_id" {
  description = "ID of the daily backup plan."
  value       = aws_backup_plan.this.id
}

output "service_role_arn" {
  description = "Role AWS Backup assumes for backups, copies, restores and restore tests."
  value       = aws_iam_role.backup.arn
}

output "restore_testing_plan_name" {
  description = "Name of the restore-testing plan (null when disabled)."
  value       = one(aws_backup_restore_testing_plan.this[*].name)
}

output "alarm_names" {
  description = "CloudWatch alarms that page on-call: failed backup, copy and restore(-test) jobs, and no backup for 36 hours."
  value       = concat([for a in aws_cloudwatch_metric_alarm.failed : a.alarm_name], [aws_cloudwatch_metric_alarm.no_backup.alarm_name])
}

output "settings" {
  description = "Retention, lock, copies and restore testing as planned, read from the resources, for reviews, tests and the runbook."
  value = {
    schedule              = one(aws_backup_plan.this.rule).schedule
    delete_after_days     = one(one(aws_backup_plan.this.rule).lifecycle).delete_after
    cold_storage_after    = one(one(aws_backup_plan.this.rule).lifecycle).cold_storage_after
    copy_targets          = [for c in one(aws_backup_plan.this.rule).copy_action : c.destination_vault_arn]
    copy_delete_after     = [for c in one(aws_backup_plan.this.rule).copy_action : one(c.lifecycle).delete_after]
    lock_mode             = var.vault_lock.mode
    lock_min_retention    = one(aws_backup_vault_lock_configuration.this[*].min_retention_days)
    lock_cooling_off_days = one(aws_backup_vault_lock_configuration.this[*].changeable_for_days)
    restore_test_schedule = one(aws_backup_restore_testing_plan.this[*].schedule_expression)
  }
}
