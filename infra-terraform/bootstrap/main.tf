# Run once per account and region, before any stack, in a workspace named after the region so that each region's
# local state is its own file (terraform.tfstate.d/<region>/):
#   terraform -chdir=infra-terraform/bootstrap workspace select -or-create eu-west-1
#   terraform -chdir=infra-terraform/bootstrap apply -var region=eu-west-1
# The stacks then lock state with S3 native locking (use_lockfile = true): no DynamoDB table. Full order:
# docs/apply-order.md.

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "state" {
  description             = "Terraform state"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "state" {
  name          = "alias/notejam-terraform-state"
  target_key_id = aws_kms_key.state.key_id
}

resource "aws_s3_bucket" "state" {
  # No prevent_destroy: `terraform test` must be able to tear its mocked run down. The bucket is never empty
  # once used and has no force_destroy, so a destroy fails anyway.
  bucket = "notejam-terraform-state-${data.aws_caller_identity.current.account_id}-${var.region}"

  lifecycle {
    precondition {
      # Two regions applied from one workspace would overwrite each other's local state.
      condition     = contains(["default", var.region], terraform.workspace)
      error_message = "Select the workspace named after the region first: terraform workspace select -or-create ${var.region}."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Versioning is what makes S3 native locking safe and lets a corrupted state be rolled back.
resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_state_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
  depends_on = [aws_s3_bucket_versioning.state]
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        # The backend's `encrypt = true` alone asks for SSE-S3, which overrides the bucket's KMS default: refuse it,
        # so a backend.hcl without kms_key_id fails loudly instead of writing state under an AWS-owned key.
        Sid       = "DenySseS3Writes"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.state.arn}/*"
        Condition = { StringEquals = { "s3:x-amz-server-side-encryption" = "AES256" } }
      },
    ]
  })
  depends_on = [aws_s3_bucket_public_access_block.state]
}
