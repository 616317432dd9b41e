variable "identifier" {
  description = "RDS instance identifier and name prefix, e.g. notejam-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,50}$", var.identifier))
    error_message = "identifier must be 3-51 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: dev, test, prod or prod-dr. prod and prod-dr get the high-availability guards."
  type        = string

  validation {
    condition     = contains(["dev", "test", "prod", "prod-dr"], var.environment)
    error_message = "environment must be one of dev, test, prod, prod-dr."
  }
}

variable "vpc_id" {
  description = "VPC of the database."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated database subnets, one per availability zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "RDS needs subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on the PostgreSQL port (the EKS cluster/node security group)."
  type        = list(string)
  default     = []
}

variable "engine_version" {
  description = "PostgreSQL major or major.minor version (16 or newer, DESIGN.md section 5)."
  type        = string
  default     = "16"

  validation {
    condition     = can(regex("^(1[6-9]|[2-9][0-9])(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be PostgreSQL 16 or newer, e.g. 16 or 16.4."
  }
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.m6g.large"

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS class such as db.m6g.large."
  }
}

variable "allocated_storage_gib" {
  description = "Initial storage in GiB."
  type        = number
  default     = 50

  validation {
    condition     = var.allocated_storage_gib >= 20 && var.allocated_storage_gib <= 65536
    error_message = "allocated_storage_gib must be between 20 and 65536."
  }
}

variable "max_allocated_storage_gib" {
  description = "Upper bound for storage autoscaling in GiB (>= allocated_storage_gib)."
  type        = number
  default     = 200

  validation {
    condition     = var.max_allocated_storage_gib >= var.allocated_storage_gib
    error_message = "max_allocated_storage_gib must be >= allocated_storage_gib."
  }
}

variable "database_name" {
  description = "Name of the application database."
  type        = string
  default     = "notejam"
}

variable "master_username" {
  description = "Master user name. Its password is generated and rotated by RDS in Secrets Manager; it is never an input."
  type        = string
  default     = "notejam_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.master_username)) && !contains(["admin", "postgres", "rdsadmin"], var.master_username)
    error_message = "master_username must be a valid, non-reserved PostgreSQL identifier."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second availability zone (R3). Required in prod and prod-dr."
  type        = bool
  default     = true

  validation {
    condition     = var.multi_az || !startswith(var.environment, "prod")
    error_message = "R3: prod and prod-dr databases must be Multi-AZ."
  }
}

variable "backup_retention_days" {
  description = "Days RDS keeps automated backups (point-in-time recovery window), 1-35."
  type        = number
  default     = 35

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35 (the RDS maximum)."
  }

  validation {
    condition     = var.backup_retention_days == 35 || !startswith(var.environment, "prod")
    error_message = "prod and prod-dr keep the maximum 35 days of automated backups."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance. Required in prod and prod-dr."
  type        = bool
  default     = true

  validation {
    condition     = var.deletion_protection || !startswith(var.environment, "prod")
    error_message = "prod and prod-dr databases must have deletion protection."
  }
}

variable "performance_insights_retention_days" {
  description = "Performance Insights retention: 7 (free tier) or a multiple of 31 up to 731."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_days == 7 || (var.performance_insights_retention_days % 31 == 0 && var.performance_insights_retention_days <= 731)
    error_message = "performance_insights_retention_days must be 7 or a multiple of 31 up to 731."
  }
}

variable "cross_region_backup_replication" {
  description = "Replicate automated backups to the DR region through the aws.dr provider (R4)."
  type        = bool
  default     = false

  validation {
    condition     = var.cross_region_backup_replication || var.environment != "prod"
    error_message = "R4: prod must replicate automated backups to the DR region."
  }
}

variable "replica_backup_retention_days" {
  description = "Days the DR region keeps replicated automated backups."
  type        = number
  default     = 14

  validation {
    condition     = var.replica_backup_retention_days >= 1 && var.replica_backup_retention_days <= 35
    error_message = "replica_backup_retention_days must be between 1 and 35."
  }
}

variable "parameters" {
  description = "Extra PostgreSQL parameters, name => value, on top of the secure defaults (force SSL, slow-query logging)."
  type        = map(string)
  default     = {}
}

variable "standby" {
  description = <<-EOT
    Stand-by mode (prod-dr): the instance is a cross-region read replica of source_db_arn (the primary's RDS instance
    in the other region) and holds its data seconds behind it. promoted = true once it has been promoted at failover
    (the runbook promotes with `aws rds promote-read-replica`, then sets promoted so Terraform agrees). null: a primary.
  EOT
  type = object({
    source_db_arn = string
    promoted      = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.standby == null || can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:db:[a-z][a-z0-9-]*$", var.standby.source_db_arn))
    error_message = "standby.source_db_arn must be the ARN of an RDS DB instance (arn:aws:rds:<region>:<account>:db:<identifier>)."
  }

  validation {
    condition     = var.standby != null || var.environment != "prod-dr"
    error_message = "R4: prod-dr's database must be a stand-by replica of prod (standby), never an empty instance."
  }

  validation {
    condition     = var.standby == null || var.environment != "prod"
    error_message = "prod is the primary: it cannot be a stand-by replica."
  }
}
