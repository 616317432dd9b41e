# --- Identity of the stack ----------------------------------------------------------

variable "environment" {
  description = "Environment: dev, test, prod or prod-dr (prod's stand-by in the DR region)."
  type        = string

  validation {
    condition     = contains(["dev", "test", "prod", "prod-dr"], var.environment)
    error_message = "environment must be one of dev, test, prod, prod-dr."
  }
}

variable "region" {
  description = "AWS region this environment runs in."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "dr_region" {
  description = "Disaster-recovery region (R4): must differ from region. For prod-dr it is prod's region."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.dr_region)) && var.dr_region != var.region
    error_message = "R4: dr_region must be an AWS region other than region."
  }
}

variable "allowed_account_ids" {
  description = "AWS account IDs this environment may be applied to (guards against the wrong credentials)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.allowed_account_ids == null || alltrue([for a in coalesce(var.allowed_account_ids, []) : can(regex("^[0-9]{12}$", a))])
    error_message = "allowed_account_ids must be 12-digit account IDs."
  }
}

variable "service" {
  description = "Service name, used in names and the service tag."
  type        = string
  default     = "notejam"
}

variable "owner" {
  description = "Owning team (owner tag)."
  type        = string

  validation {
    condition     = length(trimspace(var.owner)) > 0
    error_message = "owner must not be empty: every resource carries an owner tag."
  }
}

variable "cost_centre" {
  description = "Cost centre billed for the resources (cost-centre tag)."
  type        = string

  validation {
    condition     = length(trimspace(var.cost_centre)) > 0
    error_message = "cost_centre must not be empty: every resource carries a cost-centre tag."
  }
}

# --- Network --------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "CIDR of the VPC."
  type        = string
}

variable "azs" {
  description = "Availability zones (three in prod and prod-dr, R3)."
  type        = list(string)

  validation {
    condition     = length(distinct(var.azs)) == length(var.azs) && alltrue([for az in var.azs : startswith(az, var.region)])
    error_message = "azs must be distinct zones of region."
  }

  validation {
    condition     = !startswith(var.environment, "prod") || length(var.azs) >= 3
    error_message = "R3: prod and prod-dr need three availability zones."
  }
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway (dev only)."
  type        = bool
  default     = false
}

# --- Cluster --------------------------------------------------------------------------

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.32"
}

variable "endpoint_public_access" {
  description = "Expose the Kubernetes API publicly (restricted to public_access_cidrs)."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "CIDRs allowed to the public API endpoint."
  type        = list(string)
  default     = []
}

variable "admin_role_arns" {
  description = "IAM roles with cluster-admin access (CI deploy role, on-call)."
  type        = list(string)
  default     = []
}

variable "pipeline_role_arns" {
  description = "IAM roles of the delivery pipeline: EKS access entries so deploy.sh and the add-on install script can log in."
  type        = list(string)
  default     = []
}

variable "node_instance_types" {
  description = "Node instance types."
  type        = list(string)
  default     = ["m6i.large"]
}

variable "node_scaling" {
  description = "Nodes per zone: min, desired, max. prod needs max >= 4x min (R1)."
  type = object({
    min     = number
    desired = number
    max     = number
  })

  validation {
    condition     = var.node_scaling.min <= var.node_scaling.desired && var.node_scaling.desired <= var.node_scaling.max
    error_message = "node_scaling must satisfy min <= desired <= max."
  }

  validation {
    condition     = var.environment != "prod" || (var.node_scaling.min >= 1 && var.node_scaling.max >= 4 * var.node_scaling.min)
    error_message = "R1: prod node groups need min >= 1 and max >= 4x min."
  }
}

# --- Data stores ----------------------------------------------------------------------

variable "database" {
  description = "RDS PostgreSQL; null runs no RDS (dev uses an in-cluster database)."
  type = object({
    instance_class                  = optional(string, "db.m6g.large")
    engine_version                  = optional(string, "16")
    allocated_storage_gib           = optional(number, 50)
    max_allocated_storage_gib       = optional(number, 200)
    multi_az                        = optional(bool, true)
    backup_retention_days           = optional(number, 35)
    deletion_protection             = optional(bool, true)
    cross_region_backup_replication = optional(bool, false)
    # Stand-by mode (prod-dr, R4): a cross-region read replica of this environment's instance in dr_region
    # (modules/database, docs/disaster-recovery.md); standby_promoted = true once the failover promoted it.
    standby_of       = optional(string)
    standby_promoted = optional(bool, false)
  })
  default = null

  validation {
    condition     = var.database != null || !startswith(var.environment, "prod") && var.environment != "test"
    error_message = "test, prod and prod-dr use RDS (DESIGN.md section 7)."
  }
}

variable "cache" {
  description = "ElastiCache Redis for sessions; null runs no ElastiCache (dev uses an in-cluster Redis)."
  type = object({
    node_type          = optional(string, "cache.t4g.medium")
    engine_version     = optional(string, "7.1")
    num_cache_clusters = optional(number, 2)
  })
  default = null

  validation {
    condition     = var.cache != null || !startswith(var.environment, "prod") && var.environment != "test"
    error_message = "test, prod and prod-dr use ElastiCache (DESIGN.md section 7)."
  }
}

# --- Backups --------------------------------------------------------------------------

variable "backup_bucket" {
  description = <<-EOT
    Backup storage. mode "primary" creates the bucket here (replicated to dr_region when replication is on);
    mode "replica" (prod-dr) uses the replica bucket that source_name_prefix's stack keeps in this region.
  EOT
  type = object({
    mode                = optional(string, "primary")
    source_name_prefix  = optional(string)
    source_environment  = optional(string)
    retention_days      = optional(number, 1095)
    object_lock_mode    = optional(string, "GOVERNANCE")
    object_lock_days    = optional(number, 35)
    replication_enabled = optional(bool, false)
  })
  default = {}

  validation {
    condition     = contains(["primary", "replica"], var.backup_bucket.mode)
    error_message = "backup_bucket.mode must be primary or replica."
  }

  validation {
    condition     = var.backup_bucket.retention_days >= 1095
    error_message = "R2: backups must be kept at least 1095 days."
  }

  validation {
    condition     = var.backup_bucket.mode == "primary" || (var.backup_bucket.source_name_prefix != null && var.backup_bucket.source_environment != null)
    error_message = "backup_bucket mode replica needs source_name_prefix and source_environment."
  }

  validation {
    condition     = var.environment != "prod" || var.backup_bucket.replication_enabled
    error_message = "R4: prod backups must replicate to the DR region."
  }
}

variable "backup_max_age_hours" {
  description = "Alarm when no successful backup was reported for this many hours."
  type        = number
  default     = 26
}

# --- Registry, edge, alarms -------------------------------------------------------------

variable "registry_replicate_to_dr" {
  description = "Whether this environment's stand-by pulls images replicated to dr_region. The replication itself is stacks/shared's; kept for the record."
  type        = bool
  default     = false
}

variable "repository_names" {
  description = "ECR repositories this environment pulls from (created by stacks/shared)."
  type        = list(string)
  default     = ["notejam-app", "notejam-backup"]
}

variable "dns" {
  description = "Public host name of the app in a Route 53 zone; null skips certificate and record."
  type = object({
    zone_name     = string
    host_name     = string
    failover_role = optional(string)
    waf_enabled   = optional(bool, false)
  })
  default = null
}

variable "load_balancer" {
  description = "The app's ALB once the first deployment created it: dns_name, zone_id and arn_suffix; null before."
  type = object({
    dns_name   = string
    zone_id    = string
    arn_suffix = string
  })
  default = null
}

variable "alarm_email_addresses" {
  description = "E-mail addresses receiving alarms."
  type        = list(string)
  default     = []
}

variable "kubernetes_namespace" {
  description = "Namespace of the app and the backup job (service accounts notejam and notejam-backup)."
  type        = string
  default     = "notejam"
}
