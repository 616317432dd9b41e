# AWS APIs cannot run here: the providers are mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
      key_id = "mrk-1234abcd12ab34cd56ef1234567890ab"
    }
  }
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

override_resource {
  target = aws_s3_bucket.backups
  values = {
    id  = "notejam-prod-backups-111122223333-eu-west-1"
    arn = "arn:aws:s3:::notejam-prod-backups-111122223333-eu-west-1"
  }
}

override_resource {
  target = aws_s3_bucket.replica
  values = {
    id  = "notejam-prod-backups-replica-111122223333-eu-central-1"
    arn = "arn:aws:s3:::notejam-prod-backups-replica-111122223333-eu-central-1"
  }
}

variables {
  name_prefix      = "notejam-prod"
  environment      = "prod"
  object_lock_mode = "COMPLIANCE"
  object_lock_days = 1095
}

run "backups_kept_1095_days_versioned_locked_encrypted_private_and_replicated_to_dr" {
  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.backups.rule).status == "Enabled" && one(one(aws_s3_bucket_lifecycle_configuration.backups.rule).expiration).days == 1095
    error_message = "R2: backups must expire after exactly 1095 days (3 years), no earlier."
  }
  assert {
    condition = (
      output.storage_class_transitions.STANDARD_IA < output.storage_class_transitions.GLACIER_IR &&
      output.storage_class_transitions.GLACIER_IR < output.storage_class_transitions.DEEP_ARCHIVE &&
      output.storage_class_transitions.DEEP_ARCHIVE < 1095
    )
    error_message = "R2: backups must move STANDARD_IA -> GLACIER_IR -> DEEP_ARCHIVE as they age, all before expiry."
  }
  assert {
    condition     = one(one(aws_s3_bucket_lifecycle_configuration.backups.rule).noncurrent_version_expiration).noncurrent_days == 30
    error_message = "Noncurrent versions must expire."
  }
  assert {
    condition     = aws_s3_bucket_versioning.backups.versioning_configuration[0].status == "Enabled"
    error_message = "R2: the backup bucket must be versioned."
  }
  assert {
    condition     = aws_s3_bucket.backups.object_lock_enabled && one(aws_s3_bucket_object_lock_configuration.backups.rule).default_retention[0].mode == "COMPLIANCE" && one(aws_s3_bucket_object_lock_configuration.backups.rule).default_retention[0].days == 1095
    error_message = "R2: prod backups must be object-locked in COMPLIANCE mode for 1095 days."
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.backups.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" && one(aws_s3_bucket_server_side_encryption_configuration.backups.rule).apply_server_side_encryption_by_default[0].kms_master_key_id == aws_kms_key.backups.arn
    error_message = "R8: the bucket must default to SSE-KMS with the backup key."
  }
  assert {
    condition     = aws_s3_bucket_public_access_block.backups.block_public_acls && aws_s3_bucket_public_access_block.backups.block_public_policy && aws_s3_bucket_public_access_block.backups.ignore_public_acls && aws_s3_bucket_public_access_block.backups.restrict_public_buckets
    error_message = "R8: all public access must be blocked."
  }
  assert {
    condition = anytrue([for s in jsondecode(aws_s3_bucket_policy.backups.policy).Statement :
    s.Effect == "Deny" && s.Action == "s3:*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"])
    error_message = "R8: the bucket policy must deny every request without TLS."
  }
  assert {
    condition     = aws_kms_key.backups.multi_region && aws_kms_key.backups.enable_key_rotation
    error_message = "R4: the backup key must be a rotating Multi-Region key so the DR region can decrypt."
  }
  assert {
    condition     = one(aws_s3_bucket_replication_configuration.backups[0].rule).status == "Enabled" && one(aws_s3_bucket_replication_configuration.backups[0].rule).destination[0].bucket == "arn:aws:s3:::notejam-prod-backups-replica-111122223333-eu-central-1"
    error_message = "R4: backups must replicate to the replica bucket."
  }
  assert {
    condition     = output.replica_region == "eu-central-1" && output.replica_region != output.bucket_region
    error_message = "R4: the replica must live in a region other than the primary."
  }
  assert {
    condition     = one(aws_s3_bucket_replication_configuration.backups[0].rule).destination[0].encryption_configuration[0].replica_kms_key_id == aws_kms_replica_key.replica[0].arn && aws_kms_replica_key.replica[0].primary_key_arn == aws_kms_key.backups.arn
    error_message = "R4: replicas must be encrypted with the DR replica of the backup key."
  }
  assert {
    condition     = one(aws_s3_bucket_replication_configuration.backups[0].rule).delete_marker_replication[0].status == "Disabled"
    error_message = "R4: deletes in the primary must not propagate to the DR copy."
  }
  assert {
    condition     = aws_s3_bucket_versioning.replica[0].versioning_configuration[0].status == "Enabled" && aws_s3_bucket.replica[0].object_lock_enabled && one(one(aws_s3_bucket_lifecycle_configuration.replica[0].rule).expiration).days == 1095
    error_message = "R2/R4: the replica must be versioned, locked and kept 1095 days like the primary."
  }
}

run "rejects_retention_under_three_years" {
  command = plan
  variables {
    retention_days = 1094
  }
  expect_failures = [var.retention_days]
}

run "rejects_prod_without_replication" {
  command = plan
  variables {
    replication_enabled = false
  }
  expect_failures = [var.replication_enabled]
}

run "rejects_object_lock_longer_than_retention" {
  command = plan
  variables {
    object_lock_days = 2000
  }
  expect_failures = [var.object_lock_days]
}

run "rejects_a_dr_provider_in_the_primary_region" {
  command = plan

  override_data {
    target = data.aws_region.replica
    values = {
      name = "eu-west-1"
    }
  }

  expect_failures = [aws_s3_bucket.replica]
}
