variable "name_prefix" {
  description = "Prefix of alarm, topic and log group names, e.g. notejam-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name_prefix))
    error_message = "name_prefix must be 3-31 lowercase letters, digits or hyphens."
  }
}

variable "environment" {
  description = "Environment name (dev, test, prod, prod-dr); also the Environment dimension of the backup metrics."
  type        = string

  validation {
    condition     = contains(["dev", "test", "prod", "prod-dr"], var.environment)
    error_message = "environment must be one of dev, test, prod, prod-dr."
  }
}

variable "log_groups" {
  description = "Application log groups to create (Fluent Bit ships the pods' JSON stdout there), short name => retention days."
  type        = map(number)
  default = {
    application = 90
    backup      = 400
  }

  validation {
    condition = alltrue([for d in values(var.log_groups) : contains(
      [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], d
    )])
    error_message = "Every log group retention must be a value CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "alarm_email_addresses" {
  description = "E-mail addresses subscribed to the alarm topic (each must confirm). Pager integrations subscribe separately."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", e))])
    error_message = "alarm_email_addresses must be e-mail addresses."
  }
}

variable "db_instance_identifier" {
  description = "RDS instance to watch (null: no database alarms, e.g. dev with an in-cluster database)."
  type        = string
  default     = null
}

variable "db_thresholds" {
  description = "RDS alarm thresholds: CPU percent, free storage in bytes, connection count."
  type = object({
    cpu_percent        = optional(number, 80)
    free_storage_bytes = optional(number, 10737418240)
    connections        = optional(number, 400)
  })
  default = {}

  validation {
    condition     = var.db_thresholds.cpu_percent > 0 && var.db_thresholds.cpu_percent <= 100
    error_message = "db_thresholds.cpu_percent must be in (0, 100]."
  }
}

variable "cache_replication_group_id" {
  description = "ElastiCache replication group to watch (null: no cache alarms)."
  type        = string
  default     = null
}

variable "cache_node_count" {
  description = "Number of nodes in the replication group; node IDs are <group>-001 ... <group>-00N."
  type        = number
  default     = 2

  validation {
    condition     = var.cache_node_count >= 1 && var.cache_node_count <= 6
    error_message = "cache_node_count must be between 1 and 6."
  }
}

variable "cache_memory_percent_threshold" {
  description = "Alarm when a cache node's DatabaseMemoryUsagePercentage exceeds this."
  type        = number
  default     = 80
}

variable "alb_arn_suffix" {
  description = "ARN suffix (app/<name>/<id>) of the ALB the AWS Load Balancer Controller created for the app; null until the first deployment."
  type        = string
  default     = null

  validation {
    condition     = var.alb_arn_suffix == null || can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "alb_arn_suffix must look like app/<name>/<id>."
  }
}

variable "alb_p95_latency_seconds" {
  description = "Alarm when the ALB's p95 target response time exceeds this (the SLO is 0.3 s)."
  type        = number
  default     = 0.3
}

variable "alb_5xx_threshold" {
  description = "Alarm when 5xx responses (ELB plus targets) in 5 minutes exceed this count."
  type        = number
  default     = 10
}

variable "backup_max_age_hours" {
  description = "Alarm when no successful backup was reported for this many hours (daily schedule plus slack)."
  type        = number
  default     = 26

  validation {
    condition     = var.backup_max_age_hours >= 2 && var.backup_max_age_hours <= 168
    error_message = "backup_max_age_hours must be between 2 and 168 (CloudWatch evaluates at most 7 days of hourly periods)."
  }
}

variable "backup_min_size_bytes" {
  description = "Alarm when a backup is smaller than this (an empty or truncated dump)."
  type        = number
  default     = 1024
}

variable "backup_metrics_sink" {
  description = "Where the environment's backup job reports success (the notejam-backup chart's metricsSink): cloudwatch (Notejam/Backup LastSuccessTimestamp) or log (dev: the backup-age alarm counts the job's shipped \"done\" log lines instead)."
  type        = string
  default     = "cloudwatch"

  validation {
    condition     = contains(["cloudwatch", "log"], var.backup_metrics_sink)
    error_message = "backup_metrics_sink must be cloudwatch or log."
  }
}

variable "prometheus" {
  description = "Amazon Managed Service for Prometheus: the workspace, its rule files (name => Prometheus rule YAML, e.g. the chart's files/prometheus/notejam-rules.yaml), the alert manager routing to the alarm topic, and the managed scraper of the EKS cluster (created when scraper_subnet_ids are given, with eks_cluster_arn), which logs in to the cluster as scraper_kubernetes_user through an EKS access entry."
  type = object({
    enabled                    = optional(bool, true)
    rule_files                 = optional(map(string), {})
    app_namespace              = optional(string, "notejam")
    scrape_interval            = optional(string, "30s")
    eks_cluster_arn            = optional(string)
    scraper_subnet_ids         = optional(list(string), [])
    scraper_security_group_ids = optional(list(string), [])
    scraper_kubernetes_user    = optional(string, "aps-collector-user")
  })
  default = {}

  validation {
    condition     = alltrue([for name, rules in var.prometheus.rule_files : can(regex("^[A-Za-z0-9_.-]{1,64}$", name)) && can(yamldecode(rules).groups)])
    error_message = "prometheus.rule_files must map names (letters, digits, _ . -) to Prometheus rule files with a top-level groups list."
  }
  validation {
    condition     = length(var.prometheus.scraper_subnet_ids) == 0 ? var.prometheus.eks_cluster_arn == null : (length(var.prometheus.scraper_subnet_ids) >= 2 && can(regex("^arn:aws[a-z-]*:eks:[a-z0-9-]+:[0-9]{12}:cluster/.+$", var.prometheus.eks_cluster_arn)))
    error_message = "The managed scraper (created when scraper_subnet_ids are given) needs prometheus.eks_cluster_arn, an EKS cluster ARN, and at least two scraper_subnet_ids in different AZs."
  }
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.prometheus.scraper_kubernetes_user))
    error_message = "prometheus.scraper_kubernetes_user must be a Kubernetes user name (lower-case letters, digits, - and .), the subject the add-on layer's ClusterRoleBinding names."
  }
  validation {
    condition     = can(regex("^[0-9]+(s|m)$", var.prometheus.scrape_interval))
    error_message = "prometheus.scrape_interval must look like 30s or 1m."
  }
}

variable "backup_log_group_name" {
  description = "Log group holding the backup jobs' lines, if the log shipper writes them somewhere else than this module's backup group (e.g. the CloudWatch observability add-on's /aws/containerinsights/<cluster>/application, which merges JSON lines into fields); null: the module's backup group."
  type        = string
  default     = null
}
