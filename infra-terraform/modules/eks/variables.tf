variable "cluster_name" {
  description = "Name of the EKS cluster, e.g. notejam-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,38}$", var.cluster_name))
    error_message = "cluster_name must be 3-39 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "environment" {
  description = "Environment name: dev, test, prod or prod-dr. prod gets the scaling guard (max >= 4x min)."
  type        = string

  validation {
    condition     = contains(["dev", "test", "prod", "prod-dr"], var.environment)
    error_message = "environment must be one of dev, test, prod, prod-dr."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane, e.g. 1.32."
  type        = string
  default     = "1.32"

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.32."
  }
}

variable "vpc_id" {
  description = "VPC the cluster runs in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnet IDs for the control-plane ENIs and the nodes, one per availability zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs at least two subnets (EKS requires two zones)."
  }
}

variable "azs" {
  description = "Availability zones of subnet_ids, in the same order. One managed node group is created per zone so the autoscaler can balance zones."
  type        = list(string)

  validation {
    condition     = length(var.azs) == length(distinct(var.azs))
    error_message = "azs must be distinct."
  }

  validation {
    condition     = length(var.azs) == length(var.subnet_ids)
    error_message = "azs and subnet_ids must have the same length (one subnet per zone)."
  }

  validation {
    condition     = !startswith(var.environment, "prod") || length(var.azs) >= 3
    error_message = "prod and prod-dr node groups must span at least three availability zones."
  }
}

variable "endpoint_public_access" {
  description = "Expose the Kubernetes API endpoint publicly (restricted by public_access_cidrs). The private endpoint is always on."
  type        = bool
  default     = false
}

variable "public_access_cidrs" {
  description = "CIDR blocks allowed to reach the public API endpoint when endpoint_public_access is true."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid CIDRs and must not open the API to 0.0.0.0/0."
  }
}

variable "control_plane_log_types" {
  description = "Control-plane log types sent to CloudWatch Logs."
  type        = list(string)
  default     = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  validation {
    condition     = alltrue([for t in var.control_plane_log_types : contains(["api", "audit", "authenticator", "controllerManager", "scheduler"], t)]) && contains(var.control_plane_log_types, "audit")
    error_message = "control_plane_log_types must be EKS log types and must include audit."
  }
}

variable "log_retention_days" {
  description = "Days to keep control-plane logs."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs accepts."
  }
}

variable "node_instance_types" {
  description = "EC2 instance types for the managed node groups (first one preferred)."
  type        = list(string)
  default     = ["m6i.large"]

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "node_instance_types needs at least one instance type."
  }
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "node_capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "node_min_size_per_az" {
  description = "Minimum nodes per zone's node group."
  type        = number
  default     = 1

  validation {
    condition     = var.node_min_size_per_az >= 0 && floor(var.node_min_size_per_az) == var.node_min_size_per_az
    error_message = "node_min_size_per_az must be a whole number >= 0."
  }

  validation {
    condition     = var.environment != "prod" || var.node_min_size_per_az >= 1
    error_message = "prod needs at least one node in every zone at all times."
  }
}

variable "node_desired_size_per_az" {
  description = "Initial desired nodes per zone's node group (the autoscaler owns it afterwards)."
  type        = number
  default     = 1

  validation {
    condition     = var.node_desired_size_per_az >= var.node_min_size_per_az && var.node_desired_size_per_az <= var.node_max_size_per_az
    error_message = "node_desired_size_per_az must lie between node_min_size_per_az and node_max_size_per_az."
  }
}

variable "node_max_size_per_az" {
  description = "Maximum nodes per zone's node group. In prod it must be at least 4x the minimum to absorb a 4x burst (R1)."
  type        = number
  default     = 4

  validation {
    condition     = var.node_max_size_per_az >= 1 && var.node_max_size_per_az >= var.node_min_size_per_az
    error_message = "node_max_size_per_az must be >= 1 and >= node_min_size_per_az."
  }

  validation {
    condition     = var.environment != "prod" || var.node_max_size_per_az >= 4 * max(var.node_min_size_per_az, 1)
    error_message = "R1: in prod node_max_size_per_az must be at least 4x node_min_size_per_az."
  }
}

variable "node_disk_size_gib" {
  description = "Root volume size of each node in GiB."
  type        = number
  default     = 50

  validation {
    condition     = var.node_disk_size_gib >= 20 && var.node_disk_size_gib <= 500
    error_message = "node_disk_size_gib must be between 20 and 500."
  }
}

variable "addons" {
  description = <<-EOT
    Core EKS add-ons, name => exact version (vX.Y.Z-eksbuild.N, never the console's default). The rest of the
    add-on layer (metrics, storage, logs, load balancing, autoscaling, secrets) is the cluster-addons module.
  EOT
  type        = map(string)
  default = {
    "vpc-cni"                = "v1.19.5-eksbuild.1"
    "coredns"                = "v1.11.4-eksbuild.14"
    "kube-proxy"             = "v1.32.3-eksbuild.7"
    "eks-pod-identity-agent" = "v1.3.7-eksbuild.2"
  }

  validation {
    condition     = alltrue([for a in ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"] : contains(keys(var.addons), a)])
    error_message = "addons must include vpc-cni, coredns, kube-proxy and eks-pod-identity-agent (Pod Identity for the add-on roles)."
  }

  validation {
    condition     = alltrue([for v in values(var.addons) : v != null && can(regex("^v[0-9]+\\.[0-9]+\\.[0-9]+-eksbuild\\.[0-9]+$", v))])
    error_message = "Every core add-on version must be pinned to an exact vX.Y.Z-eksbuild.N version."
  }
}

variable "network_policy_enforcement" {
  description = "Let the VPC CNI's network policy agent enforce Kubernetes NetworkPolicies (otherwise they are ignored)."
  type        = bool
  default     = true

  validation {
    condition     = var.network_policy_enforcement || !startswith(var.environment, "prod")
    error_message = "prod and prod-dr must enforce NetworkPolicies."
  }
}

variable "pipeline_role_arns" {
  description = <<-EOT
    IAM roles of the delivery pipeline (deploy.sh, the add-on install script). They get an access entry with
    cluster-admin: installing the add-on layer creates CRDs and cluster-wide RBAC.
  EOT
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.pipeline_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "pipeline_role_arns must be IAM role ARNs."
  }
}

variable "admin_role_arns" {
  description = "IAM role ARNs granted cluster-admin through EKS access entries (e.g. the CI deploy role, the on-call role)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))])
    error_message = "admin_role_arns must be IAM role ARNs."
  }
}
