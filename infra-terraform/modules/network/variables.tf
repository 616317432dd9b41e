variable "name" {
  description = "Name prefix for every resource, e.g. notejam-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name))
    error_message = "name must be 3-31 lowercase letters, digits or hyphens, starting with a letter."
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

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC (a /16 to /20). Subnets are carved from it."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be a valid IPv4 CIDR between /16 and /20."
  }
}

variable "azs" {
  description = "Availability zones to spread subnets over. Production environments need three distinct zones (R3)."
  type        = list(string)

  validation {
    condition     = length(var.azs) >= 2 && length(var.azs) <= 4 && length(distinct(var.azs)) == length(var.azs)
    error_message = "azs must list 2 to 4 distinct availability zones."
  }

  validation {
    condition     = !startswith(var.environment, "prod") || length(distinct(var.azs)) >= 3
    error_message = "prod and prod-dr must span at least three availability zones so the loss of one zone keeps a majority."
  }
}

variable "single_nat_gateway" {
  description = "Use one shared NAT gateway instead of one per zone. Cheaper, but a zone outage cuts egress; allowed only outside prod."
  type        = bool
  default     = false

  validation {
    condition     = !(var.single_nat_gateway && startswith(var.environment, "prod"))
    error_message = "single_nat_gateway is not allowed in prod or prod-dr: every zone needs its own NAT gateway."
  }
}

variable "flow_log_retention_days" {
  description = "Days to keep VPC flow logs in CloudWatch Logs."
  type        = number
  default     = 90

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a retention period CloudWatch Logs accepts (e.g. 30, 90, 365)."
  }
}

variable "interface_endpoints" {
  description = "AWS services reached through interface VPC endpoints from private subnets (the S3 gateway endpoint is always created)."
  type        = list(string)
  default     = ["ecr.api", "ecr.dkr", "sts", "logs", "secretsmanager"]

  validation {
    condition     = alltrue([for s in var.interface_endpoints : can(regex("^[a-z0-9.-]+$", s))])
    error_message = "interface_endpoints must be service suffixes such as ecr.api or sts."
  }
}

variable "cluster_name" {
  description = "EKS cluster name, used for the subnet tags the AWS Load Balancer Controller discovers subnets by."
  type        = string
}
