variable "name_prefix" {
  description = "Prefix of bucket, key and role names, e.g. notejam-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,24}$", var.name_prefix))
    error_message = "name_prefix must be 3-25 lowercase letters, digits or hyphens (bucket names are limited to 63 characters)."
  }
}

variable "environment" {
  description = "Environment name: dev, test, prod or prod-dr; also the first element of every backup object key."
  type        = string

  validation {
    condition     = contains(["dev", "test", "prod", "prod-dr"], var.environment)
    error_message = "environment must be one of dev, test, prod, prod-dr."
  }
}

variable "retention_days" {
  description = "Days a backup is kept before it expires (R2: three years = 1095 days, never less)."
  type        = number
  default     = 1095

  validation {
    condition     = var.retention_days >= 1095
    error_message = "R2: retention_days must be at least 1095 (three years)."
  }
}

variable "transition_to_standard_ia_days" {
  description = "Age in days when backups move to STANDARD_IA (S3 requires >= 30)."
  type        = number
  default     = 30

  validation {
    condition     = var.transition_to_standard_ia_days >= 30
    error_message = "S3 allows STANDARD_IA transitions only after 30 days."
  }
}

variable "transition_to_glacier_ir_days" {
  description = "Age in days when backups move to GLACIER_IR (still restorable in milliseconds)."
  type        = number
  default     = 90

  validation {
    condition     = var.transition_to_glacier_ir_days >= var.transition_to_standard_ia_days + 30
    error_message = "transition_to_glacier_ir_days must be at least 30 days after the STANDARD_IA transition."
  }
}

variable "transition_to_deep_archive_days" {
  description = "Age in days when backups move to DEEP_ARCHIVE (restore takes hours; see the restore runbook). Must be before expiry."
  type        = number
  default     = 365

  validation {
    condition     = var.transition_to_deep_archive_days >= var.transition_to_glacier_ir_days + 90 && var.transition_to_deep_archive_days + 180 <= var.retention_days
    error_message = "transition_to_deep_archive_days must be >= 90 days after GLACIER_IR and >= 180 days before expiry (DEEP_ARCHIVE minimum storage duration)."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days an overwritten or deleted backup version is kept before it is removed for good."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 365
    error_message = "noncurrent_version_expiration_days must be between 1 and 365."
  }
}

variable "object_lock_mode" {
  description = "Default object lock mode: GOVERNANCE (privileged users may shorten) or COMPLIANCE (nobody may, not even root)."
  type        = string
  default     = "GOVERNANCE"

  validation {
    condition     = contains(["GOVERNANCE", "COMPLIANCE"], var.object_lock_mode)
    error_message = "object_lock_mode must be GOVERNANCE or COMPLIANCE."
  }
}

variable "object_lock_days" {
  description = "Default object lock retention in days: a backup cannot be deleted or overwritten before it ends."
  type        = number
  default     = 35

  validation {
    condition     = var.object_lock_days >= 1 && var.object_lock_days <= var.retention_days
    error_message = "object_lock_days must be between 1 and retention_days."
  }
}

variable "replication_enabled" {
  description = "Replicate every backup to a bucket in the DR region (aws.dr provider). Required in prod (R4)."
  type        = bool
  default     = true

  validation {
    condition     = var.replication_enabled || var.environment != "prod"
    error_message = "R4: prod backups must replicate to the DR region."
  }
}

variable "force_destroy" {
  description = "Allow terraform destroy to empty the buckets (dev only; object lock still protects locked versions)."
  type        = bool
  default     = false

  validation {
    condition     = !var.force_destroy || var.environment == "dev"
    error_message = "force_destroy is allowed only in dev."
  }
}
