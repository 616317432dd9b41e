# Invalid stack inputs are refused before anything is planned (AWS providers mocked; plan only).
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws"

  mock_data "aws_region" {
    defaults = {
      name = "eu-central-1"
    }
  }
}

variables {
  environment  = "prod"
  region       = "eu-west-1"
  dr_region    = "eu-central-1"
  owner        = "notejam-platform"
  cost_centre  = "cc-1042-prod"
  vpc_cidr     = "10.30.0.0/16"
  azs          = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  node_scaling = { min = 1, desired = 2, max = 4 }
  database     = { cross_region_backup_replication = true }
  cache        = { num_cache_clusters = 3 }
  backup_bucket = {
    replication_enabled = true
  }
}

run "rejects_dr_region_equal_to_region" {
  command = plan
  variables {
    dr_region = "eu-west-1"
  }
  expect_failures = [var.dr_region]
}

run "rejects_two_zones_in_prod" {
  command = plan
  variables {
    azs = ["eu-west-1a", "eu-west-1b"]
  }
  expect_failures = [var.azs]
}

run "rejects_backup_retention_under_1095_days" {
  command = plan
  variables {
    backup_bucket = { replication_enabled = true, retention_days = 730 }
  }
  expect_failures = [var.backup_bucket]
}

run "rejects_prod_node_max_below_4x_min" {
  command = plan
  variables {
    node_scaling = { min = 2, desired = 2, max = 4 }
  }
  expect_failures = [var.node_scaling]
}

run "rejects_prod_without_a_database" {
  command = plan
  variables {
    database = null
  }
  expect_failures = [var.database]
}

run "rejects_missing_cost_centre" {
  command = plan
  variables {
    cost_centre = " "
  }
  expect_failures = [var.cost_centre]
}
