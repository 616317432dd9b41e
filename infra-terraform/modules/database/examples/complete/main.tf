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

module "database" {
  source = "../.."
  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  identifier                      = "notejam-prod"
  environment                     = "prod"
  vpc_id                          = "vpc-0a1b2c3d4e5f60718"
  subnet_ids                      = ["subnet-0ddd1111eeee2222a", "subnet-0ddd1111eeee2222b", "subnet-0ddd1111eeee2222c"]
  allowed_security_group_ids      = ["sg-0c1a2b3c4d5e6f701"]
  cross_region_backup_replication = true
}

output "jdbc_url" {
  description = "JDBC URL of the example database."
  value       = module.database.jdbc_url
}
