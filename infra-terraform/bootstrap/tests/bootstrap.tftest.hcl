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
  assert {
    condition     = one([for st in jsondecode(aws_s3_bucket_policy.state.policy).Statement : st.Condition.StringEquals["s3:x-amz-server-side-encryption"] if st.Sid == "DenySseS3Writes"]) == "AES256"
    error_message = "R8: state written with SSE-S3 (a backend without kms_key_id) must be refused."
  }
  assert {
    condition     = output.backend.kms_key_id == "alias/notejam-terraform-state" && output.backend.bucket == aws_s3_bucket.state.bucket
    error_message = "The backend settings must name the state key by its alias (BackendConfigTest checks every backend.hcl against them)."
  }
}

run "a_second_region_has_its_own_bucket" {
  variables {
    region = "eu-central-1"
  }
  assert {
    condition     = output.backend.bucket == "notejam-terraform-state-111122223333-eu-central-1" && output.backend.region == "eu-central-1"
    error_message = "Each region gets its own state bucket (prod-dr keeps its state in its own region)."
  }
}

run "rejects_short_state_history" {
  command = plan
  variables {
    noncurrent_state_days = 7
  }
  expect_failures = [var.noncurrent_state_days]
}
