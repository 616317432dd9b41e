output "replication_group_id" {
  description = "Replication group ID (CloudWatch dimension ReplicationGroupId)."
  value       = aws_elasticache_replication_group.this.replication_group_id
}

output "member_clusters" {
  description = "Cache cluster IDs of the group's nodes (CloudWatch dimension CacheClusterId)."
  value       = sort(tolist(aws_elasticache_replication_group.this.member_clusters))
}

output "primary_endpoint_address" {
  description = "Primary endpoint host for SPRING_DATA_REDIS_HOST (follows failover)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "port" {
  description = "Redis port for SPRING_DATA_REDIS_PORT."
  value       = local.port
}

output "app_user_id" {
  description = "ElastiCache user id (== user name) the app authenticates as with IAM (NOTEJAM_REDIS_IAM_USER_ID)."
  value       = aws_elasticache_user.app.user_id
}

output "user_group_id" {
  description = "RBAC user group attached to the replication group."
  value       = aws_elasticache_user_group.this.user_group_id
}

output "kms_key_arn" {
  description = "KMS key encrypting the cache at rest."
  value       = aws_kms_key.this.arn
}

output "security_group_id" {
  description = "Security group of the cache."
  value       = aws_security_group.this.id
}

output "settings" {
  description = "Resilience and security settings as planned, for reviews and tests."
  value = {
    automatic_failover = aws_elasticache_replication_group.this.automatic_failover_enabled
    multi_az           = aws_elasticache_replication_group.this.multi_az_enabled
    nodes              = aws_elasticache_replication_group.this.num_cache_clusters
    encrypted_at_rest  = aws_elasticache_replication_group.this.at_rest_encryption_enabled
    tls_required       = aws_elasticache_replication_group.this.transit_encryption_enabled && aws_elasticache_replication_group.this.transit_encryption_mode == "required"
    # No AUTH token: only the RBAC group's users, the app's by IAM, the default user switched off.
    iam_auth             = aws_elasticache_user.app.authentication_mode[0].type == "iam"
    default_user_enabled = !startswith(aws_elasticache_user.disabled_default.access_string, "off")
    auth_token_set       = nonsensitive(aws_elasticache_replication_group.this.auth_token != null)
  }
}
