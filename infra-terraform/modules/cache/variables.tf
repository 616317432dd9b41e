variable "name" {
  description = "Replication group ID and name prefix, e.g. notejam-prod (max 40 characters)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,39}$", var.name))
    error_message = "name must be 3-40 lowercase letters, digits or hyphens, starting with a letter."
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
  description = "VPC of the cache."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets for the cache nodes, one per availability zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs subnets in at least two availability zones."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups allowed to connect on the Redis port (the EKS cluster/node security group)."
  type        = list(string)
  default     = []
}

variable "engine" {
  description = "redis or valkey (wire-compatible; the app speaks the Redis protocol)."
  type        = string
  default     = "redis"

  validation {
    condition     = contains(["redis", "valkey"], var.engine)
    error_message = "engine must be redis or valkey."
  }
}

variable "engine_version" {
  description = "Engine version, e.g. 7.1 for Redis."
  type        = string
  default     = "7.1"

  validation {
    # IAM authentication of ElastiCache users needs Redis OSS 7 or Valkey 7.2 and later.
    condition     = tonumber(split(".", var.engine_version)[0]) >= 7
    error_message = "engine_version must be 7 or later: the app authenticates with IAM, which older engines lack."
  }
}

variable "node_type" {
  description = "Cache node type."
  type        = string
  default     = "cache.t4g.medium"

  validation {
    condition     = startswith(var.node_type, "cache.")
    error_message = "node_type must be an ElastiCache node type such as cache.t4g.medium."
  }
}

variable "num_cache_clusters" {
  description = "Nodes in the replication group: one primary plus replicas, spread over zones. At least 2 for failover; prod needs 3 (one per zone)."
  type        = number
  default     = 2

  validation {
    condition     = var.num_cache_clusters >= 2 && var.num_cache_clusters <= 6
    error_message = "num_cache_clusters must be between 2 and 6: automatic failover needs at least one replica."
  }

  validation {
    condition     = var.environment != "prod" || var.num_cache_clusters >= 3
    error_message = "R3: prod needs three cache nodes, one per availability zone."
  }
}

variable "snapshot_retention_days" {
  description = "Days to keep daily snapshots (sessions are short-lived; a few days suffice)."
  type        = number
  default     = 3

  validation {
    condition     = var.snapshot_retention_days >= 0 && var.snapshot_retention_days <= 35
    error_message = "snapshot_retention_days must be between 0 and 35."
  }
}

variable "app_user_id" {
  description = "ElastiCache user id (and name) of the app, authenticated with IAM. Null: <name>-app."
  type        = string
  default     = null

  validation {
    # ElastiCache user ids: a letter, then letters, digits or hyphens, no double or trailing hyphen; IAM
    # authentication needs lowercase (user name == user id).
    condition     = var.app_user_id == null || can(regex("^[a-z](-?[a-z0-9])*$", var.app_user_id)) && length(coalesce(var.app_user_id, "x")) <= 40
    error_message = "app_user_id must be up to 40 lowercase letters, digits or single hyphens, starting with a letter."
  }
}

variable "app_user_access_string" {
  description = "Redis ACL rules of the app's user. The app is the only client of its group; the built-in default user is replaced by a disabled one."
  type        = string
  default     = "on ~* &* +@all"

  validation {
    condition     = startswith(var.app_user_access_string, "on ")
    error_message = "app_user_access_string must start with \"on\" (an \"off\" user cannot connect)."
  }
}

variable "notification_topic_arn" {
  description = "SNS topic for ElastiCache events (failover, node replacement). Null disables notifications."
  type        = string
  default     = null

  validation {
    condition     = var.notification_topic_arn == null || can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:.+$", var.notification_topic_arn))
    error_message = "notification_topic_arn must be an SNS topic ARN."
  }
}
