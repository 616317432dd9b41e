# Example and validation root: the module needs an aws.dr provider, so it is validated through this caller.
terraform {
  required_version = ">= 1.11.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "dr"
  region = "eu-central-1"
}

module "backup_storage" {
  source = "../.."
  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name_prefix      = "notejam-prod"
  environment      = "prod"
  object_lock_mode = "COMPLIANCE"
  object_lock_days = 1095
}

output "bucket_name" {
  description = "Name of the example backup bucket."
  value       = module.backup_storage.bucket_name
}
