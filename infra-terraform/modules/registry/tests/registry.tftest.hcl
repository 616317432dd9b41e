# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  replication_regions = ["eu-central-1"]
}

run "repositories_are_immutable_scanned_pruned_and_replicated_to_dr" {
  assert {
    condition     = toset(keys(aws_ecr_repository.this)) == toset(["notejam-app", "notejam-backup"])
    error_message = "The app and backup-job repositories must exist with the contract's names."
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_tag_mutability == "IMMUTABLE"])
    error_message = "R5/R6: image tags must be immutable."
  }
  assert {
    condition     = alltrue([for r in aws_ecr_repository.this : r.image_scanning_configuration[0].scan_on_push])
    error_message = "R8: images must be scanned on push."
  }
  assert {
    condition = alltrue([for p in aws_ecr_lifecycle_policy.this :
      length(jsondecode(p.policy).rules) == 2 &&
      anytrue([for r in jsondecode(p.policy).rules : r.selection.tagStatus == "untagged" && r.action.type == "expire"])
    ])
    error_message = "Every repository needs a lifecycle policy that expires untagged images."
  }
  assert {
    condition     = [for d in aws_ecr_replication_configuration.this[0].replication_configuration[0].rule[0].destination : d.region] == ["eu-central-1"]
    error_message = "R4: images must be replicated to the DR region."
  }
}

run "rejects_replication_into_its_own_region" {
  command = plan
  variables {
    replication_regions = ["eu-west-1"]
  }
  expect_failures = [aws_ecr_replication_configuration.this]
}

run "rejects_bad_repository_names" {
  command = plan
  variables {
    repository_names = ["Notejam_App!"]
  }
  expect_failures = [var.repository_names]
}
