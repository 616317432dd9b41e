output "db_instance_identifier" {
  description = "RDS instance identifier (CloudWatch dimension DBInstanceIdentifier)."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "address" {
  description = "Host name of the database endpoint."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the database endpoint."
  value       = aws_db_instance.this.port
}

output "jdbc_url" {
  description = "JDBC URL for SPRING_DATASOURCE_URL and BACKUP_DATABASE_URL."
  value       = "jdbc:postgresql://${aws_db_instance.this.address}:${aws_db_instance.this.port}/${var.database_name}?sslmode=require"
}

output "resource_id" {
  description = "DbiResourceId of the instance: part of the rds-db:connect ARN (arn:aws:rds-db:<region>:<account>:dbuser:<id>/<role>) the IAM policies of the app and backup job name."
  value       = aws_db_instance.this.resource_id
}

output "database_name" {
  description = "Name of the app's database (PGDATABASE of the role-provisioning hook)."
  value       = var.database_name
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the RDS-managed master credentials (read by External Secrets); null while a stand-by replica replicates."
  value       = one(aws_db_instance.this.master_user_secret[*].secret_arn)
}

output "kms_key_arn" {
  description = "KMS key encrypting storage, Performance Insights and the master secret."
  value       = aws_kms_key.this.arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.this.id
}

output "replicated_backups_arn" {
  description = "ARN of the automated backups replicated in the DR region (null when replication is off)."
  value       = one(aws_db_instance_automated_backups_replication.this[*].id)
}

output "settings" {
  description = "Resilience and security settings as planned, for reviews and tests."
  value = {
    multi_az          = aws_db_instance.this.multi_az
    storage_encrypted = aws_db_instance.this.storage_encrypted
    # A replica cannot manage a secret of its own: it inherits the source's RDS-managed password.
    manage_master_user_password = local.replicating ? true : aws_db_instance.this.manage_master_user_password
    password_in_terraform       = nonsensitive(aws_db_instance.this.password != null)
    iam_database_authentication = aws_db_instance.this.iam_database_authentication_enabled
    backup_retention_days       = aws_db_instance.this.backup_retention_period
    deletion_protection         = aws_db_instance.this.deletion_protection
    backups_replicated          = length(aws_db_instance_automated_backups_replication.this) > 0
    standby_replicating         = local.replicating
    standby_source_db_arn       = try(var.standby.source_db_arn, null)
  }
}

output "standby" {
  description = "Stand-by mode: whether this instance replicates a primary in another region (promote it at failover), and which."
  value = {
    replicating      = local.replicating
    promoted         = local.from_standby && !local.replicating
    source_db_arn    = try(var.standby.source_db_arn, null)
    replicate_source = aws_db_instance.this.replicate_source_db
  }
}
