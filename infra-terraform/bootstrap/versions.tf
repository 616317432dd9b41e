terraform {
  # 1.11: cross-variable validation and write-only arguments.
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      service       = "notejam"
      environment   = "shared"
      owner         = var.owner
      "cost-centre" = var.cost_centre
      "managed-by"  = "terraform"
    }
  }
}
