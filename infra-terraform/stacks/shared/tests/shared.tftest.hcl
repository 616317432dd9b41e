# AWS APIs cannot run here: both providers are mocked (tests/mocks/aws).
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

run "registry_created_once_with_immutable_replicas_in_the_dr_region" {
  assert {
    condition     = output.image_tag_mutability.primary == { "notejam-app" = "IMMUTABLE", "notejam-backup" = "IMMUTABLE" } && output.image_tag_mutability.dr == output.image_tag_mutability.primary
    error_message = "R4: the DR region's repositories must exist with immutable tags before prod's images replicate into them."
  }
  assert {
    condition     = length(output.replication_regions) == 1 && output.replication_regions[0] == "eu-central-1"
    error_message = "R4: every image is replicated to the DR region."
  }
  assert {
    condition     = length(module.registry_dr.replication_regions) == 0
    error_message = "The DR region's registry must not replicate back."
  }
}

run "dr_region_must_differ" {
  command = plan
  variables {
    dr_region = "eu-west-1"
  }
  expect_failures = [var.dr_region]
}
