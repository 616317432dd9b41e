output "replication_group_id" {
  description = "Replication group ID (CloudWatch dimension ReplicationGroupId)."
  value       = aws_elasticache_replication_group.this.id
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

output "auth_token_secret_arn" {
  description = "Secrets Manager secret with the AUTH token (SPRING_DATA_REDIS_PASSWORD through External Secrets)."
  value       = aws_secretsmanager_secret.auth_token.arn
}

output "kms_key_arn" {
  description = "KMS key encrypting the cache at rest and the auth token secret."
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
  }
}

output "auth_token_secret_name" {
  description = "Name of the AUTH token secret: a plain string, not JSON (External Secrets remoteRef without property)."
  value       = aws_secretsmanager_secret.auth_token.name
}
