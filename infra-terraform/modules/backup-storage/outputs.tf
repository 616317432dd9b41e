output "bucket_name" {
  description = "Backup bucket name (BACKUP_S3_BUCKET)."
  value       = aws_s3_bucket.backups.bucket
}

output "bucket_arn" {
  description = "Backup bucket ARN."
  value       = aws_s3_bucket.backups.arn
}

output "bucket_region" {
  description = "Region of the backup bucket (BACKUP_S3_REGION)."
  value       = data.aws_region.current.name
}

output "kms_key_arn" {
  description = "KMS key for SSE-KMS and the backup job's envelope encryption (BACKUP_KMS_KEY_ARN)."
  value       = aws_kms_key.backups.arn
}

output "retention_days" {
  description = "Days a backup is kept before it expires."
  value       = var.retention_days
}

output "replica_bucket_name" {
  description = "Name of the replica bucket in the DR region (null without replication)."
  value       = one(aws_s3_bucket.replica[*].id)
}

output "replica_bucket_arn" {
  description = "ARN of the replica bucket in the DR region (null without replication)."
  value       = one(aws_s3_bucket.replica[*].arn)
}

output "replica_region" {
  description = "DR region holding the replica (null without replication)."
  value       = var.replication_enabled ? data.aws_region.replica.name : null
}

output "replica_kms_key_arn" {
  description = "KMS key of the replica bucket; the restore in the DR region decrypts with it (null without replication)."
  value       = one(aws_kms_replica_key.replica[*].arn)
}

output "storage_class_transitions" {
  description = "Storage class => age in days when backups move there, read from the lifecycle rule."
  value       = { for t in one(aws_s3_bucket_lifecycle_configuration.backups.rule).transition : t.storage_class => t.days }
}

output "settings" {
  description = "Retention and protection settings as planned, read from the resources, for reviews and tests."
  value = {
    versioning         = aws_s3_bucket_versioning.backups.versioning_configuration[0].status
    object_lock        = aws_s3_bucket.backups.object_lock_enabled
    object_lock_mode   = one(aws_s3_bucket_object_lock_configuration.backups.rule).default_retention[0].mode
    object_lock_days   = one(aws_s3_bucket_object_lock_configuration.backups.rule).default_retention[0].days
    expiration_days    = one(one(aws_s3_bucket_lifecycle_configuration.backups.rule).expiration).days
    sse_algorithm      = one(aws_s3_bucket_server_side_encryption_configuration.backups.rule).apply_server_side_encryption_by_default[0].sse_algorithm
    public_blocked     = aws_s3_bucket_public_access_block.backups.restrict_public_buckets && aws_s3_bucket_public_access_block.backups.block_public_policy
    replication_target = try(one(aws_s3_bucket_replication_configuration.backups[0].rule).destination[0].bucket, null)
  }
}
