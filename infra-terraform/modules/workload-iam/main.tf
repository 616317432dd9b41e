locals {
  # IRSA: only the named service account of the cluster may assume each role.
  # workload => the service accounts (namespace/name) its role trusts.
  service_accounts = merge(
    { backup = ["${var.backup.namespace}:${var.backup.service_account}"] },
    var.app == null ? {} : { app = [for sa in var.app.service_accounts : "${var.app.namespace}:${sa}"] },
  )

  backup_bucket_arn = var.backup.bucket_arn
  backup_prefixes   = distinct(concat([var.backup.write_prefix], var.backup.read_prefixes))
  backup_read_paths = [for p in local.backup_prefixes : "${local.backup_bucket_arn}/${p}/*"]

  # Exactly the calls backup-jobs makes (backup-jobs/README.md, "AWS calls and IAM actions"); nothing else.
  policies = {
    backup = {
      Version = "2012-10-17"
      Statement = concat([
        {
          # CreateMultipartUpload, UploadPart, CompleteMultipartUpload, PutObject (manifest) with object-lock
          # retention headers; AbortMultipartUpload when a backup fails half-way.
          Sid      = "WriteOwnPrefix"
          Effect   = "Allow"
          Action   = ["s3:PutObject", "s3:PutObjectRetention", "s3:AbortMultipartUpload"]
          Resource = "${local.backup_bucket_arn}/${var.backup.write_prefix}/*"
        },
        {
          # HeadObject/GetObject (also ranged, for the header), GetObject by versionId (restore pins the version),
          # RestoreObject for backups in DEEP_ARCHIVE/GLACIER.
          Sid      = "ReadOwnPrefixes"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:GetObjectVersion", "s3:RestoreObject"]
          Resource = local.backup_read_paths
        },
        {
          # ListObjectsV2 under <env>/ only: listing backups, checking the bucket is reachable and that a key is free.
          Sid      = "ListOwnPrefixes"
          Effect   = "Allow"
          Action   = "s3:ListBucket"
          Resource = local.backup_bucket_arn
          Condition = {
            StringLike = { "s3:prefix" = [for p in local.backup_prefixes : "${p}/*"] }
          }
        },
        {
          # GetObjectLockConfiguration: whether per-object retention can be set.
          Sid      = "ReadObjectLockConfiguration"
          Effect   = "Allow"
          Action   = "s3:GetBucketObjectLockConfiguration"
          Resource = local.backup_bucket_arn
        },
        {
          # Client-side envelope encryption: wrap (own environment only) and unwrap each backup's data key. The
          # encryption context binds the environment, object key and time of the backup.
          Sid      = "EnvelopeEncryptionWithBackupKey"
          Effect   = "Allow"
          Action   = "kms:Encrypt"
          Resource = var.backup.kms_key_arn
          Condition = {
            StringEquals = {
              "kms:EncryptionContext:purpose"     = "notejam-backup"
              "kms:EncryptionContext:environment" = var.backup.write_prefix
            }
          }
        },
        {
          Sid      = "EnvelopeDecryptionWithBackupKey"
          Effect   = "Allow"
          Action   = "kms:Decrypt"
          Resource = var.backup.kms_key_arn
          Condition = {
            StringEquals = {
              "kms:EncryptionContext:purpose"     = "notejam-backup"
              "kms:EncryptionContext:environment" = local.backup_prefixes
            }
          }
        },
        {
          # The bucket's SSE-KMS with the same key: S3 asks KMS on the job's behalf for uploads and downloads.
          Sid      = "BucketEncryptionThroughS3"
          Effect   = "Allow"
          Action   = ["kms:GenerateDataKey", "kms:Decrypt"]
          Resource = var.backup.kms_key_arn
          Condition = {
            StringEquals = { "kms:ViaService" = "s3.${element(split(":", var.backup.kms_key_arn), 3)}.amazonaws.com" }
          }
        },
        {
          Sid       = "PublishBackupMetrics"
          Effect    = "Allow"
          Action    = "cloudwatch:PutMetricData"
          Resource  = "*"
          Condition = { StringEquals = { "cloudwatch:namespace" = var.backup_metrics_namespace } }
        },
        ], length(var.backup.database_user_arns) == 0 ? [] : [{
          # IAM database authentication: an auth token for pg_dump/pg_restore as the read-only backup role only.
          Sid      = "ConnectToDatabaseAsBackupRole"
          Effect   = "Allow"
          Action   = "rds-db:connect"
          Resource = var.backup.database_user_arns
      }])
    }
    # The app (and its migration Job) call no AWS API but the ones that sign IAM auth tokens for its data stores.
    app = var.app == null ? null : {
      Version = "2012-10-17"
      Statement = concat(length(var.app.database_user_arns) == 0 ? [] : [{
        # RDS IAM authentication as the app's own database role (never the master user).
        Sid      = "ConnectToDatabaseAsAppRole"
        Effect   = "Allow"
        Action   = "rds-db:connect"
        Resource = var.app.database_user_arns
        }], length(var.app.cache_connect_arns) == 0 ? [] : [{
        # ElastiCache IAM authentication: both the replication group and the user are authorised.
        Sid      = "ConnectToCacheAsAppUser"
        Effect   = "Allow"
        Action   = "elasticache:Connect"
        Resource = var.app.cache_connect_arns
      }])
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.service_accounts

  name = "${var.name_prefix}-${each.key}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = var.oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          # One subject as a string, several as a list (any of them).
          "${var.oidc_issuer}:sub" = jsondecode(length(each.value) == 1 ? jsonencode("system:serviceaccount:${each.value[0]}") : jsonencode([for sa in each.value : "system:serviceaccount:${sa}"]))
          "${var.oidc_issuer}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  for_each = local.service_accounts

  name   = "least-privilege"
  role   = aws_iam_role.this[each.key].id
  policy = jsonencode(local.policies[each.key])
}
