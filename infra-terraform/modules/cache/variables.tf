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

variable "auth_token_version" {
  description = "Bump to rotate the auth token: Secrets Manager generates a new one and the group switches to it."
  type        = number
  default     = 1

  validation {
    condition     = var.auth_token_version >= 1 && floor(var.auth_token_version) == var.auth_token_version
    error_message = "auth_token_version must be a whole number >= 1."
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
