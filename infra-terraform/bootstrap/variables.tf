variable "region" {
  description = "Region of the state bucket (one bucket per account and region)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "owner" {
  description = "Owning team (owner tag)."
  type        = string
  default     = "notejam-platform"
}

variable "cost_centre" {
  description = "Cost centre (cost-centre tag)."
  type        = string
  default     = "cc-1042-shared"
}

variable "noncurrent_state_days" {
  description = "Days old state versions are kept (the history to roll back a bad apply)."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_state_days >= 30
    error_message = "noncurrent_state_days must be at least 30."
  }
}
