data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_region" "replica" {
  provider = aws.dr
}

locals {
  partition      = data.aws_partition.current.partition
  account_id     = data.aws_caller_identity.current.account_id
  bucket_name    = "${var.name_prefix}-backups-${local.account_id}-${data.aws_region.current.name}"
  replica_name   = "${var.name_prefix}-backups-replica-${local.account_id}-${data.aws_region.replica.name}"
  replica_count  = var.replication_enabled ? 1 : 0
  lifecycle_rule = "retain-${var.retention_days}-days"
}

# --- Primary bucket -------------------------------------------------------------

# Multi-Region key: backups enveloped with it stay decryptable in the DR region through its replica key,
# even while the primary region is down (R4).
resource "aws_kms_key" "backups" {
  description             = "${var.name_prefix} database backups (SSE-KMS and client-side envelope encryption)"
  multi_region            = true
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "backups" {
  name          = "alias/${var.name_prefix}-backups"
  target_key_id = aws_kms_key.backups.key_id
}

resource "aws_s3_bucket" "backups" {
  bucket              = local.bucket_name
  object_lock_enabled = true
  force_destroy       = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "backups" {
  bucket                  = aws_s3_bucket.backups.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.backups.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_object_lock_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    default_retention {
      mode = var.object_lock_mode
      days = var.object_lock_days
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id

  rule {
    id     = local.lifecycle_rule
    status = "Enabled"
    filter {}

    transition {
      days          = var.transition_to_standard_ia_days
      storage_class = "STANDARD_IA"
    }
    transition {
      days          = var.transition_to_glacier_ir_days
      storage_class = "GLACIER_IR"
    }
    transition {
      days          = var.transition_to_deep_archive_days
      storage_class = "DEEP_ARCHIVE"
    }
    expiration {
      days = var.retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.backups]
}

resource "aws_s3_bucket_policy" "backups" {
  bucket = aws_s3_bucket.backups.id
  policy = jsonencode(local.primary_policy)

  depends_on = [aws_s3_bucket_public_access_block.backups]
}

locals {
  primary_policy = {
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyInsecureTransport"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.backups.arn, "${aws_s3_bucket.backups.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "DenyForeignKmsKey"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.backups.arn}/*"
        Condition = { StringNotEqualsIfExists = { "s3:x-amz-server-side-encryption-aws-kms-key-id" = aws_kms_key.backups.arn } }
      },
    ]
  }
}

# --- Replica bucket in the DR region (R4) ----------------------------------------

resource "aws_kms_replica_key" "replica" {
  count    = local.replica_count
  provider = aws.dr

  description             = "${var.name_prefix} database backups in the DR region (replica of the Multi-Region key)"
  primary_key_arn         = aws_kms_key.backups.arn
  deletion_window_in_days = 30
}

# prod-dr finds the replica key through this alias.
resource "aws_kms_alias" "replica" {
  count    = local.replica_count
  provider = aws.dr

  name          = "alias/${var.name_prefix}-backups-replica"
  target_key_id = aws_kms_replica_key.replica[0].key_id
}

resource "aws_s3_bucket" "replica" {
  count    = local.replica_count
  provider = aws.dr

  bucket              = local.replica_name
  object_lock_enabled = true
  force_destroy       = var.force_destroy

  lifecycle {
    precondition {
      condition     = data.aws_region.replica.name != data.aws_region.current.name
      error_message = "R4: the aws.dr provider must point at a different region than the primary."
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "replica" {
  count    = local.replica_count
  provider = aws.dr

  bucket = aws_s3_bucket.replica[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "replica" {
  count    = local.replica_count
  provider = aws.dr

  bucket                  = aws_s3_bucket.replica[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "replica" {
  count    = local.replica_count
  provider = aws.dr

  bucket = aws_s3_bucket.replica[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "replica" {
  count    = local.replica_count
  provider = aws.dr

  bucket = aws_s3_bucket.replica[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_replica_key.replica[0].arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_object_lock_configuration" "replica" {
  count    = local.replica_count
  provider = aws.dr

  bucket = aws_s3_bucket.replica[0].id
  rule {
    default_retention {
      mode = var.object_lock_mode
      days = var.object_lock_days
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "replica" {
  count    = local.replica_count
  provider = aws.dr

  bucket = aws_s3_bucket.replica[0].id

  rule {
    id     = local.lifecycle_rule
    status = "Enabled"
    filter {}

    transition {
      days          = var.transition_to_standard_ia_days
      storage_class = "STANDARD_IA"
    }
    transition {
      days          = var.transition_to_glacier_ir_days
      storage_class = "GLACIER_IR"
    }
    transition {
      days          = var.transition_to_deep_archive_days
      storage_class = "DEEP_ARCHIVE"
    }
    expiration {
      days = var.retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.replica]
}

resource "aws_s3_bucket_policy" "replica" {
  count    = local.replica_count
  provider = aws.dr

  bucket = aws_s3_bucket.replica[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.replica[0].arn, "${aws_s3_bucket.replica[0].arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.replica]
}

# --- Replication -------------------------------------------------------------------

resource "aws_iam_role" "replication" {
  count = local.replica_count

  name = "${var.name_prefix}-backups-replication"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "s3.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "replication" {
  count = local.replica_count

  name = "replicate-backups"
  role = aws_iam_role.replication[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadSourceConfiguration"
        Effect   = "Allow"
        Action   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
        Resource = aws_s3_bucket.backups.arn
      },
      {
        Sid    = "ReadSourceVersions"
        Effect = "Allow"
        Action = [
          "s3:GetObjectVersionForReplication",
          "s3:GetObjectVersionAcl",
          "s3:GetObjectVersionTagging",
          "s3:GetObjectRetention",
          "s3:GetObjectLegalHold",
        ]
        Resource = "${aws_s3_bucket.backups.arn}/*"
      },
      {
        Sid      = "WriteReplicas"
        Effect   = "Allow"
        Action   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"]
        Resource = "${aws_s3_bucket.replica[0].arn}/*"
      },
      {
        Sid      = "DecryptSource"
        Effect   = "Allow"
        Action   = "kms:Decrypt"
        Resource = aws_kms_key.backups.arn
      },
      {
        Sid      = "EncryptReplica"
        Effect   = "Allow"
        Action   = ["kms:Encrypt", "kms:GenerateDataKey"]
        Resource = aws_kms_replica_key.replica[0].arn
      },
    ]
  })
}

resource "aws_s3_bucket_replication_configuration" "backups" {
  count = local.replica_count

  bucket = aws_s3_bucket.backups.id
  role   = aws_iam_role.replication[0].arn

  rule {
    id       = "backups-to-dr-region"
    status   = "Enabled"
    priority = 1
    filter {}

    # A delete in the primary must not erase the DR copy.
    delete_marker_replication {
      status = "Disabled"
    }

    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }

    destination {
      bucket        = aws_s3_bucket.replica[0].arn
      storage_class = "STANDARD"
      encryption_configuration {
        replica_kms_key_id = aws_kms_replica_key.replica[0].arn
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.backups, aws_s3_bucket_versioning.replica]
}
