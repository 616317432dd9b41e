# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and the run applies against the mock.
mock_provider "aws" {
  source = "../tests/mocks/aws"
}

variables {
  region = "eu-west-1"
}

run "state_bucket_is_versioned_encrypted_and_private" {
  assert {
    condition     = aws_s3_bucket.state.bucket == "notejam-terraform-state-111122223333-eu-west-1"
    error_message = "The state bucket name must match environments/*/backend.hcl."
  }
  assert {
    condition     = aws_s3_bucket_versioning.state.versioning_configuration[0].status == "Enabled"
    error_message = "State must be versioned (rollback, safe native locking)."
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
    error_message = "R8: state holds sensitive values and must be encrypted with KMS."
  }
  assert {
    condition     = aws_s3_bucket_public_access_block.state.restrict_public_buckets && aws_s3_bucket_public_access_block.state.block_public_policy
    error_message = "R8: state must never be public."
  }
  assert {
    condition     = jsondecode(aws_s3_bucket_policy.state.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false"
    error_message = "R8: state must be read over TLS only."
  }
}

run "rejects_short_state_history" {
  command = plan
  variables {
    noncurrent_state_days = 7
  }
  expect_failures = [var.noncurrent_state_days]
}
