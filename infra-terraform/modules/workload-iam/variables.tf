variable "name_prefix" {
  description = "Prefix of role names, e.g. notejam-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name_prefix))
    error_message = "name_prefix must be 3-31 lowercase letters, digits or hyphens."
  }
}

variable "cluster_name" {
  description = "EKS cluster name."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "oidc_issuer" {
  description = "OIDC issuer without https:// (e.g. oidc.eks.eu-west-1.amazonaws.com/id/ABC), prefix of the trust conditions."
  type        = string

  validation {
    condition     = !startswith(var.oidc_issuer, "https://")
    error_message = "oidc_issuer must not include the https:// scheme."
  }
}

variable "backup" {
  description = <<-EOT
    Backup job access: its service account, the bucket and KMS key, the key prefix it writes (its environment,
    DESIGN.md section 8) and any extra prefixes it may only read (prod-dr restores prod's replicated backups).
  EOT
  type = object({
    namespace       = string
    service_account = string
    bucket_arn      = string
    kms_key_arn     = string
    write_prefix    = string
    read_prefixes   = optional(list(string), [])
    # rds-db:connect ARNs (arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<role>) of its read-only role
    database_user_arns = optional(list(string), [])
  })

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$", var.backup.bucket_arn))
    error_message = "backup.bucket_arn must be an S3 bucket ARN."
  }

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.backup.kms_key_arn))
    error_message = "backup.kms_key_arn must be a KMS key ARN (not an alias)."
  }

  validation {
    condition     = alltrue([for a in var.backup.database_user_arns : can(regex("^arn:aws[a-z-]*:rds-db:[a-z0-9-]+:[0-9]{12}:dbuser:db-[A-Z0-9]+/[a-z_][a-z0-9_]*$", a))])
    error_message = "backup.database_user_arns must be rds-db dbuser ARNs naming one DbiResourceId and one role (no wildcards)."
  }

  validation {
    condition     = alltrue([for p in concat([var.backup.write_prefix], var.backup.read_prefixes) : contains(["dev", "test", "prod", "prod-dr"], p)])
    error_message = "backup prefixes must be environment names (dev, test, prod, prod-dr): keys start with <env>/."
  }
}

variable "app" {
  description = <<-EOT
    The app's role (null: none, e.g. dev with in-cluster stores): the service accounts of the app and its migration
    Job, the rds-db:connect ARNs of its database role and the ElastiCache replication group and user ARNs it
    connects to with IAM authentication.
  EOT
  type = object({
    namespace          = string
    service_accounts   = list(string)
    database_user_arns = optional(list(string), [])
    cache_connect_arns = optional(list(string), [])
  })
  default = null

  validation {
    condition     = var.app == null ? true : length(concat(var.app.database_user_arns, var.app.cache_connect_arns)) > 0
    error_message = "app: a role needs something to allow (database_user_arns or cache_connect_arns)."
  }

  validation {
    condition     = var.app == null ? true : alltrue([for a in var.app.database_user_arns : can(regex("^arn:aws[a-z-]*:rds-db:[a-z0-9-]+:[0-9]{12}:dbuser:db-[A-Z0-9]+/[a-z_][a-z0-9_]*$", a))])
    error_message = "app.database_user_arns must be rds-db dbuser ARNs naming one DbiResourceId and one role (no wildcards)."
  }

  validation {
    condition     = var.app == null ? true : alltrue([for a in var.app.cache_connect_arns : can(regex("^arn:aws[a-z-]*:elasticache:[a-z0-9-]+:[0-9]{12}:(replicationgroup|user):[a-z][a-z0-9-]*$", a))])
    error_message = "app.cache_connect_arns must be ElastiCache replicationgroup or user ARNs (no wildcards)."
  }
}

variable "backup_metrics_namespace" {
  description = "CloudWatch namespace the backup job publishes to (BACKUP_METRICS_SINK=cloudwatch)."
  type        = string
  default     = "Notejam/Backup"
}
