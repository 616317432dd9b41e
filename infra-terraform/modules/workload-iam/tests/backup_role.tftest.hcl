# The backup job's role, action by action (issue 18/22): exactly the S3 and KMS calls backup-jobs makes, listed in
# backup-jobs/README.md ("AWS calls and IAM actions"). AWS APIs cannot run here: the provider is mocked.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  name_prefix       = "notejam-prod-dr"
  cluster_name      = "notejam-prod-dr"
  oidc_provider_arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  oidc_issuer       = "oidc.eks.eu-central-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
  backup = {
    namespace       = "notejam"
    service_account = "notejam-backup"
    bucket_arn      = "arn:aws:s3:::notejam-prod-backups-replica-111122223333-eu-central-1"
    kms_key_arn     = "arn:aws:kms:eu-central-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
    write_prefix    = "prod-dr"
    read_prefixes   = ["prod"]
  }
}

run "backup_role_allows_exactly_the_calls_the_backup_cli_makes" {
  command = plan

  assert {
    condition = jsonencode({ for s in jsondecode(aws_iam_role_policy.this["backup"].policy).Statement : s.Sid => sort(flatten([s.Action])) }) == jsonencode({
      WriteOwnPrefix                  = ["s3:AbortMultipartUpload", "s3:PutObject", "s3:PutObjectRetention"]
      ReadOwnPrefixes                 = ["s3:GetObject", "s3:GetObjectVersion", "s3:RestoreObject"]
      ListOwnPrefixes                 = ["s3:ListBucket"]
      ReadObjectLockConfiguration     = ["s3:GetBucketObjectLockConfiguration"]
      EnvelopeEncryptionWithBackupKey = ["kms:Encrypt"]
      EnvelopeDecryptionWithBackupKey = ["kms:Decrypt"]
      BucketEncryptionThroughS3       = ["kms:Decrypt", "kms:GenerateDataKey"]
      PublishBackupMetrics            = ["cloudwatch:PutMetricData"]
    })
    error_message = "R8: the backup role must allow exactly the S3/KMS/CloudWatch calls of backup-jobs: multipart upload and its abort, object-lock retention, reads pinned to a version, Deep Archive restore requests, prefix-limited listing, the bucket's lock configuration, envelope wrap/unwrap and SSE-KMS through S3."
  }
  assert {
    condition = (
      [for s in jsondecode(aws_iam_role_policy.this["backup"].policy).Statement : s.Resource if s.Sid == "WriteOwnPrefix"] == ["arn:aws:s3:::notejam-prod-backups-replica-111122223333-eu-central-1/prod-dr/*"] &&
      [for s in jsondecode(aws_iam_role_policy.this["backup"].policy).Statement : toset(s.Resource) if s.Sid == "ReadOwnPrefixes"] == [toset([
        "arn:aws:s3:::notejam-prod-backups-replica-111122223333-eu-central-1/prod-dr/*",
        "arn:aws:s3:::notejam-prod-backups-replica-111122223333-eu-central-1/prod/*",
      ])]
    )
    error_message = "R8: the job writes only under its own environment's prefix and reads (and restores from the archive) only its own and the listed prefixes."
  }
  assert {
    condition     = one([for s in jsondecode(aws_iam_role_policy.this["backup"].policy).Statement : toset(s.Condition.StringLike["s3:prefix"]) if s.Sid == "ListOwnPrefixes"]) == toset(["prod-dr/*", "prod/*"])
    error_message = "R8: listing is limited to the job's prefixes."
  }
  assert {
    condition = (
      one([for s in jsondecode(aws_iam_role_policy.this["backup"].policy).Statement : s.Condition.StringEquals["kms:EncryptionContext:environment"] if s.Sid == "EnvelopeEncryptionWithBackupKey"]) == "prod-dr" &&
      toset(one([for s in jsondecode(aws_iam_role_policy.this["backup"].policy).Statement : s.Condition.StringEquals["kms:EncryptionContext:environment"] if s.Sid == "EnvelopeDecryptionWithBackupKey"])) == toset(["prod-dr", "prod"]) &&
      one([for s in jsondecode(aws_iam_role_policy.this["backup"].policy).Statement : s.Condition.StringEquals["kms:ViaService"] if s.Sid == "BucketEncryptionThroughS3"]) == "s3.eu-central-1.amazonaws.com"
    )
    error_message = "R8: the job may wrap data keys only for its own environment, unwrap only for its prefixes, and use the key for SSE-KMS only through S3 in the key's region."
  }
}
