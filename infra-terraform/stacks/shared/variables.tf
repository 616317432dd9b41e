variable "region" {
  description = "Primary region: the registry images are pushed to, and the region of prod, test and dev."
  type        = string
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "dr_region" {
  description = "Disaster-recovery region: every image is replicated there (R4), into repositories created here first."
  type        = string
  default     = "eu-central-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.dr_region)) && var.dr_region != var.region
    error_message = "R4: dr_region must be an AWS region other than region."
  }
}

variable "allowed_account_ids" {
  description = "AWS account IDs this stack may be applied to."
  type        = list(string)
  default     = null
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

variable "repository_names" {
  description = "ECR repositories shared by every environment of the account (images are promoted by digest, not rebuilt)."
  type        = list(string)
  default     = ["notejam-app", "notejam-backup"]
}
