variable "repository_names" {
  description = "ECR repositories to create (the app and the backup job images)."
  type        = list(string)
  default     = ["notejam-app", "notejam-backup"]

  validation {
    condition     = length(var.repository_names) > 0 && alltrue([for n in var.repository_names : can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*$", n))])
    error_message = "repository_names must be non-empty lowercase ECR repository names."
  }
}

variable "keep_tagged_images" {
  description = "Number of tagged images (releases) kept per repository; older ones expire."
  type        = number
  default     = 200

  validation {
    condition     = var.keep_tagged_images >= 10
    error_message = "keep_tagged_images must be at least 10 so rollbacks stay possible."
  }
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images (failed pushes, build layers) expire."
  type        = number
  default     = 7

  validation {
    condition     = var.untagged_expiry_days >= 1
    error_message = "untagged_expiry_days must be at least 1."
  }
}

variable "replication_regions" {
  description = "Regions the registry replicates images to (the DR region in prod), so the DR cluster can pull without the primary region."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.replication_regions : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", r))])
    error_message = "replication_regions must be AWS region names such as eu-central-1."
  }
}

variable "pull_principal_arns" {
  description = "Extra IAM principals (e.g. other accounts' node roles) allowed to pull; same-account nodes pull through their role."
  type        = list(string)
  default     = []
}
