# Everything the Helm values, the backup job and the failover runbook (docs/runbooks/) need.

output "environment" {
  description = "Environment of this stack (BACKUP_ENVIRONMENT)."
  value       = var.environment
}

output "region" {
  description = "Region of this stack."
  value       = var.region
}

output "dr_region" {
  description = "The disaster-recovery region paired with this stack."
  value       = var.dr_region
}

output "default_tags" {
  description = "Tags every resource carries through the provider's default_tags."
  value       = local.default_tags
}

output "azs" {
  description = "Availability zones in use."
  value       = module.network.azs
}

output "vpc_id" {
  description = "VPC ID."
  value       = module.network.vpc_id
}

output "cluster_name" {
  description = "EKS cluster name (aws eks update-kubeconfig --name ...)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "EKS API endpoint."
  value       = module.eks.cluster_endpoint
}

output "node_group_scaling" {
  description = "Node group bounds per zone."
  value       = module.eks.node_group_scaling
}

output "database" {
  description = "Database endpoint, JDBC URL, managed master secret and settings (null without RDS)."
  value = var.database == null ? null : {
    address                = module.database[0].address
    jdbc_url               = module.database[0].jdbc_url
    master_user_secret_arn = module.database[0].master_user_secret_arn
    replicated_backups_arn = module.database[0].replicated_backups_arn
    settings               = module.database[0].settings
  }
}

output "cache" {
  description = "Redis endpoint, auth secret and settings (null without ElastiCache)."
  value = var.cache == null ? null : {
    host                  = module.cache[0].primary_endpoint_address
    port                  = module.cache[0].port
    auth_token_secret_arn = module.cache[0].auth_token_secret_arn
    settings              = module.cache[0].settings
  }
}

output "backup" {
  description = "Backup job settings (BACKUP_S3_BUCKET, BACKUP_S3_REGION, BACKUP_KMS_KEY_ARN, IRSA role) and the bucket's protection."
  value = {
    bucket             = local.backup_bucket_name
    region             = var.region
    kms_key_arn        = local.backup_kms_key_arn
    role_arn           = module.workload_iam.backup_role_arn
    mode               = var.backup_bucket.mode
    settings           = one(module.backup_storage[*].settings)
    replica_bucket     = one(module.backup_storage[*].replica_bucket_name)
    replica_region     = one(module.backup_storage[*].replica_region)
    replica_kms_key    = one(module.backup_storage[*].replica_kms_key_arn)
    storage_class_days = one(module.backup_storage[*].storage_class_transitions)
  }
}

output "irsa_role_arns" {
  description = "IRSA role ARNs per workload, for the service-account annotations."
  value       = module.workload_iam.role_arns
}

output "repository_urls" {
  description = "ECR repository URLs."
  value       = module.registry.repository_urls
}

output "image_tag_mutability" {
  description = "Tag mutability per repository."
  value       = module.registry.image_tag_mutability
}

output "app_secret_arn" {
  description = "Secrets Manager secret with the app's mail credentials."
  value       = aws_secretsmanager_secret.app.arn
}

output "alarm_topic_arn" {
  description = "SNS topic of all alarms."
  value       = module.observability.alarm_topic_arn
}

output "alarm_names" {
  description = "All alarm names."
  value       = module.observability.alarm_names
}

output "edge" {
  description = "Certificate, record and failover health check (null without DNS)."
  value = var.dns == null ? null : {
    certificate_arn = module.edge[0].certificate_arn
    host_name       = module.edge[0].host_name
    record_fqdn     = module.edge[0].record_fqdn
    health_check_id = module.edge[0].health_check_id
    web_acl_arn     = module.edge[0].web_acl_arn
    failover_role   = var.dns.failover_role
  }
}

output "private_subnet_azs" {
  description = "Availability zone of each private subnet (nodes), in subnet order."
  value       = module.network.private_subnet_azs
}

output "addon_layer" {
  description = "The cluster add-on layer: EKS add-ons, pinned Helm releases with their values (input of cluster-addons/install.sh), and what it provides to the charts (kinds, CRDs, IngressClasses, StorageClasses, ClusterSecretStores, namespace labels)."
  value       = module.cluster_addons.addon_layer
}

output "node_pool" {
  description = "Node groups for the capacity test: instance types (first preferred) and bounds per zone."
  value = {
    instance_types = module.eks.node_instance_types
    scaling        = module.eks.node_group_scaling
  }
}
