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

module "backup_vault" {
  source = "../.."
  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name_prefix     = "notejam-prod"
  environment     = "prod"
  selection_tags  = { environment = "prod", service = "notejam" }
  vault_lock      = { mode = "compliance", changeable_for_days = 3 }
  alarm_topic_arn = "arn:aws:sns:eu-west-1:111122223333:notejam-prod-alarms"
}

output "vault_arn" {
  description = "ARN of the example vault."
  value       = module.backup_vault.vault_arn
}
