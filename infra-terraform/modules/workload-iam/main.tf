locals {
  # IRSA: only the named service account of the cluster may assume each role.
  service_accounts = {
    backup = var.backup
  }

  backup_bucket_arn = var.backup.bucket_arn
  backup_read_paths = [for p in distinct(concat([var.backup.write_prefix], var.backup.read_prefixes)) : "${local.backup_bucket_arn}/${p}/*"]

  policies = {
    backup = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid      = "WriteOwnPrefix"
          Effect   = "Allow"
          Action   = ["s3:PutObject", "s3:PutObjectRetention"]
          Resource = "${local.backup_bucket_arn}/${var.backup.write_prefix}/*"
        },
        {
          Sid      = "ReadOwnPrefixes"
          Effect   = "Allow"
          Action   = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectRetention"]
          Resource = local.backup_read_paths
        },
        {
          Sid      = "ListOwnPrefixes"
          Effect   = "Allow"
          Action   = "s3:ListBucket"
          Resource = local.backup_bucket_arn
          Condition = {
            StringLike = { "s3:prefix" = [for p in distinct(concat([var.backup.write_prefix], var.backup.read_prefixes)) : "${p}/*"] }
          }
        },
        {
          Sid      = "EnvelopeEncryptionWithBackupKey"
          Effect   = "Allow"
          Action   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
          Resource = var.backup.kms_key_arn
        },
        {
          Sid       = "PublishBackupMetrics"
          Effect    = "Allow"
          Action    = "cloudwatch:PutMetricData"
          Resource  = "*"
          Condition = { StringEquals = { "cloudwatch:namespace" = var.backup_metrics_namespace } }
        },
      ]
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
          "${var.oidc_issuer}:sub" = "system:serviceaccount:${each.value.namespace}:${each.value.service_account}"
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
