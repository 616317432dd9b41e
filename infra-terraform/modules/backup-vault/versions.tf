terraform {
  # 1.11: cross-variable validation.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
      # aws.dr: the disaster-recovery region, where every recovery point is copied.
      configuration_aliases = [aws.dr]
    }
  }
}
