variable "name_prefix" {
  description = "Prefix of resource names, e.g. notejam-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}$", var.name_prefix))
    error_message = "name_prefix must be 3-31 lowercase letters, digits or hyphens."
  }
}

variable "zone_name" {
  description = "Public Route 53 hosted zone, e.g. example.com."
  type        = string
}

variable "host_name" {
  description = "The app's host name inside zone_name, e.g. notejam.example.com (NOTEJAM_BASE_URL host)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", var.host_name))
    error_message = "host_name must be a lowercase DNS name."
  }
}

variable "load_balancer" {
  description = "DNS name and hosted zone ID of the ALB the AWS Load Balancer Controller created; null until the first deployment (then no record yet)."
  type = object({
    dns_name = string
    zone_id  = string
  })
  default = null
}

variable "failover_role" {
  description = "Route 53 failover role: PRIMARY in prod, SECONDARY in prod-dr, null for a simple record (dev, test)."
  type        = string
  default     = null

  validation {
    condition     = var.failover_role == null || contains(["PRIMARY", "SECONDARY"], coalesce(var.failover_role, "PRIMARY"))
    error_message = "failover_role must be PRIMARY, SECONDARY or null."
  }
}

variable "regional_host_name" {
  description = <<-EOT
    Name inside zone_name that always points at this region's ALB (e.g. eu-west-1.notejam.example.com), needed with a
    failover_role: Route 53 health checks send their fqdn as the Host header, and the ALB answers only the hosts its
    Ingress lists, so the health check asks for this name (which the Ingress also serves) rather than the ALB's own.
  EOT
  type        = string
  default     = null

  validation {
    condition     = var.regional_host_name == null || can(regex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", coalesce(var.regional_host_name, "x")))
    error_message = "regional_host_name must be a lowercase DNS name."
  }
}

variable "health_check_path" {
  description = "Path probed over HTTPS by the Route 53 health check deciding failover (a public page; management port 8081 is never exposed)."
  type        = string
  default     = "/signin/"

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "waf_enabled" {
  description = "Create a regional WAFv2 web ACL (AWS managed common and bad-input rules, rate limit) for the ALB."
  type        = bool
  default     = false
}

variable "waf_rate_limit_per_5_minutes" {
  description = "Requests per client IP per 5 minutes before WAF blocks it."
  type        = number
  default     = 2000

  validation {
    condition     = var.waf_rate_limit_per_5_minutes >= 100
    error_message = "waf_rate_limit_per_5_minutes must be at least 100."
  }
}
