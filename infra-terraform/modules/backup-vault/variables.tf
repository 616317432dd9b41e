variable "name_prefix" {
  description = "Prefix of vault, plan, key and role names, e.g. notejam-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name_prefix))
    error_message = "name_prefix must be 3-31 lowercase letters, digits or hyphens."
  }
}

variable "environment" {
  description = "Environment name: dev, test, prod or prod-dr."
  type        = string

  validation {
    condition     = contains(["dev", "test", "prod", "prod-dr"], var.environment)
    error_message = "environment must be one of dev, test, prod, prod-dr."
  }
}

variable "selection_tags" {
  description = <<-EOT
    Tags (key => value) an RDS instance must carry to be backed up and restore-tested by this plan. The stack's
    provider default_tags (environment, service) put them on every resource, so no module has to opt in.
  EOT
  type        = map(string)

  validation {
    condition     = length(var.selection_tags) > 0 && alltrue([for k, v in var.selection_tags : length(trimspace(k)) > 0 && length(trimspace(v)) > 0])
    error_message = "selection_tags must name at least one non-empty tag: an empty selection would back up nothing (or everything)."
  }
}

variable "schedule" {
  description = "When the daily backup starts (AWS Backup cron expression, UTC)."
  type        = string
  default     = "cron(0 3 * * ? *)"

  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.schedule))
    error_message = "schedule must be an AWS cron expression such as cron(0 3 * * ? *)."
  }
}

variable "start_window_minutes" {
  description = "Minutes after the scheduled time within which a backup job must start, or it is counted as failed."
  type        = number
  default     = 60

  validation {
    condition     = var.start_window_minutes >= 60
    error_message = "AWS Backup needs a start window of at least 60 minutes."
  }
}

variable "completion_window_minutes" {
  description = "Minutes a started backup job may take before AWS Backup cancels it."
  type        = number
  default     = 480

  validation {
    condition     = var.completion_window_minutes >= var.start_window_minutes + 60
    error_message = "completion_window_minutes must be at least 60 minutes longer than the start window."
  }
}

variable "retention_days" {
  description = "Days every recovery point (and each copy) is kept (R2: three years = 1095 days, never less)."
  type        = number
  default     = 1095

  validation {
    condition     = var.retention_days >= 1095
    error_message = "R2: retention_days must be at least 1095 (three years)."
  }
}

variable "cold_storage_after_days" {
  description = <<-EOT
    Days after which recovery points move to cold storage. AWS Backup applies it to the resource types that support
    cold storage and ignores it for the others (see README); cold storage keeps a point at least 90 days.
  EOT
  type        = number
  default     = 90

  validation {
    condition     = var.cold_storage_after_days >= 1 && var.cold_storage_after_days + 90 <= var.retention_days
    error_message = "cold_storage_after_days must be at least 1 and at least 90 days before retention_days (cold storage minimum)."
  }
}

variable "vault_lock" {
  description = <<-EOT
    Vault lock. mode "compliance": after changeable_for_days (the cooling-off period, at least 3 days) nobody, not
    even the account's root user or AWS, can delete recovery points early, shorten their retention or remove the
    lock. "governance": the same rules, but principals with backup:DeleteBackupVaultLockConfiguration can lift it.
    "none": no lock. prod must use compliance (R2).
  EOT
  type = object({
    mode                = string
    changeable_for_days = optional(number, 3)
  })
  default = {
    mode = "governance"
  }

  validation {
    condition     = contains(["compliance", "governance", "none"], var.vault_lock.mode)
    error_message = "vault_lock.mode must be compliance, governance or none."
  }

  validation {
    condition     = var.vault_lock.mode != "compliance" || var.vault_lock.changeable_for_days >= 3
    error_message = "A compliance-mode vault lock needs a cooling-off period (changeable_for_days) of at least 3 days."
  }

  validation {
    condition     = var.environment != "prod" || var.vault_lock.mode == "compliance"
    error_message = "R2: the prod vault must be locked in compliance mode."
  }
}

variable "dr_copy_enabled" {
  description = "Copy every recovery point to a vault in the DR region (aws.dr provider). Required in prod (R4)."
  type        = bool
  default     = true

  validation {
    condition     = var.dr_copy_enabled || var.environment != "prod"
    error_message = "R4: prod recovery points must be copied to the DR region."
  }
}

variable "backup_account_vault_arn" {
  description = <<-EOT
    Optional vault in a separate backup account (same or DR region) that receives a copy of every recovery point,
    so that a compromised workload account cannot destroy all copies. That account must allow
    backup:CopyIntoBackupVault from this account in its vault access policy (see README).
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.backup_account_vault_arn == null || can(regex("^arn:aws[a-z-]*:backup:[a-z0-9-]+:[0-9]{12}:backup-vault:[A-Za-z0-9_.-]+$", var.backup_account_vault_arn))
    error_message = "backup_account_vault_arn must be an AWS Backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>)."
  }
}

variable "restore_testing" {
  description = <<-EOT
    Restore testing: on schedule, AWS Backup restores the latest RDS recovery point of the last
    selection_window_days into a temporary instance, keeps it validation_window_hours for validation, then deletes
    it. restore_metadata_overrides sets RDS restore parameters (e.g. dbsubnetgroupname, vpcsecuritygroupids).
  EOT
  type = object({
    enabled                    = optional(bool, true)
    schedule                   = optional(string, "cron(0 5 ? * SUN *)")
    selection_window_days      = optional(number, 7)
    validation_window_hours    = optional(number, 4)
    restore_metadata_overrides = optional(map(string), {})
  })
  default = {}

  validation {
    condition     = var.restore_testing.selection_window_days >= 1 && var.restore_testing.selection_window_days <= 365
    error_message = "restore_testing.selection_window_days must be between 1 and 365."
  }

  validation {
    condition     = var.restore_testing.validation_window_hours >= 1 && var.restore_testing.validation_window_hours <= 168
    error_message = "restore_testing.validation_window_hours must be between 1 and 168."
  }

  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.restore_testing.schedule))
    error_message = "restore_testing.schedule must be an AWS cron expression."
  }
}

variable "alarm_topic_arn" {
  description = "SNS topic of the on-call rota: failed backup, copy and restore(-test) jobs, and a day without a backup, alarm here."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$", var.alarm_topic_arn))
    error_message = "alarm_topic_arn must be an SNS topic ARN."
  }
}
