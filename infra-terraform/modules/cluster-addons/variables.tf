variable "cluster_name" {
  description = "Name of the EKS cluster the add-ons run in."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,38}$", var.cluster_name))
    error_message = "cluster_name must be 3-39 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "cluster_arn" {
  description = "ARN of the EKS cluster: Pod Identity roles trust only sessions tagged with it."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:eks:[a-z0-9-]+:[0-9]{12}:cluster/.+$", var.cluster_arn))
    error_message = "cluster_arn must be an EKS cluster ARN."
  }
}

variable "region" {
  description = "Region of the cluster (the stack's provider region); null reads it from the provider."
  type        = string
  default     = null

  validation {
    condition     = var.region == null || can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster: the load balancer controller may change security group rules only inside it."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "network_policy_enforced" {
  description = "Whether the cluster's CNI enforces NetworkPolicy (the eks module's vpc-cni setting); reported in addon_layer."
  type        = bool
}

variable "app_namespace" {
  description = "Namespace of the app and the backup job: created by the add-on layer with the ALB pod readiness-gate label."
  type        = string
  default     = "notejam"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.app_namespace))
    error_message = "app_namespace must be a Kubernetes namespace name."
  }
}

variable "eks_addons" {
  description = <<-EOT
    EKS managed and community add-ons beside the core ones of the eks module, name => {version, configuration}.
    Versions are pinned (never the console's default): an upgrade is a reviewed change of this map.
  EOT
  type = map(object({
    version       = string
    configuration = optional(any)
  }))
  default = {
    # Resource metrics API (metrics.k8s.io) for the HPA; EKS community add-on.
    # Its replicas and requests come from helm.tf's system_pods (what the capacity test counts).
    "metrics-server" = {
      version = "v0.7.2-eksbuild.3"
    }
    # Block storage for PersistentVolumeClaims (dev's in-cluster PostgreSQL and Redis, Prometheus).
    "aws-ebs-csi-driver" = {
      version = "v1.44.0-eksbuild.1"
    }
    # Container logs to CloudWatch Logs (Fluent Bit) and Container Insights metrics.
    "amazon-cloudwatch-observability" = {
      version = "v4.1.0-eksbuild.1"
    }
  }

  validation {
    condition     = alltrue([for a in ["metrics-server", "aws-ebs-csi-driver", "amazon-cloudwatch-observability"] : contains(keys(var.eks_addons), a)])
    error_message = "eks_addons must include metrics-server (HPA), aws-ebs-csi-driver (volumes) and amazon-cloudwatch-observability (logs)."
  }

  validation {
    condition     = alltrue([for a in values(var.eks_addons) : can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", a.version))])
    error_message = "Every add-on version must be pinned to an exact vX.Y.Z-eksbuild.N version."
  }
}

variable "external_secrets" {
  description = "External Secrets Operator: the exact Secrets Manager secrets (and their KMS keys) it may read for the app and the backup job."
  type = object({
    secret_arns  = list(string)
    kms_key_arns = list(string)
  })

  validation {
    condition     = alltrue([for a in var.external_secrets.secret_arns : can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", a))])
    error_message = "external_secrets.secret_arns must be Secrets Manager secret ARNs."
  }

  validation {
    condition     = alltrue([for a in var.external_secrets.secret_arns : !endswith(a, ":*") && a != "*"])
    error_message = "external_secrets.secret_arns must name secrets, not wildcards."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the container logs the log shipper writes (/aws/containerinsights/<cluster>/*)."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts."
  }
}

variable "prometheus_retention" {
  description = "How long the in-cluster Prometheus keeps samples (kube-prometheus-stack prometheusSpec.retention)."
  type        = string
  default     = "15d"

  validation {
    condition     = can(regex("^[0-9]+[dh]$", var.prometheus_retention))
    error_message = "prometheus_retention must look like 15d or 48h."
  }
}
