data "aws_caller_identity" "current" {}

locals {
  name = "${var.service}-${var.environment}"

  # Provider default tags: every taggable resource carries them (R6, cost allocation).
  default_tags = {
    environment   = var.environment
    service       = var.service
    owner         = var.owner
    "cost-centre" = var.cost_centre
    "managed-by"  = "terraform"
  }

  replica_mode = var.backup_bucket.mode == "replica"
  # prod-dr reads the bucket prod replicates into this region (names as in the backup-storage module).
  replica_bucket_name = local.replica_mode ? "${var.backup_bucket.source_name_prefix}-backups-replica-${data.aws_caller_identity.current.account_id}-${var.region}" : null

  backup_bucket_name = local.replica_mode ? local.replica_bucket_name : module.backup_storage[0].bucket_name
  # A bucket's ARN follows from its name: the policies name the bucket the job is configured with.
  backup_bucket_arn  = "arn:aws:s3:::${local.backup_bucket_name}"
  backup_kms_key_arn = local.replica_mode ? data.aws_kms_alias.backup_replica[0].target_key_arn : module.backup_storage[0].kms_key_arn

  data_store_client_sg_ids = [module.eks.cluster_security_group_id]

  # Database roles the role-provisioning hook creates (helm-charts notejam, databaseRoles) and the IAM policies name.
  # They log in with IAM auth tokens: no password of theirs exists anywhere.
  database_roles = { app = "notejam_app", backup = "notejam_backup" }
  # rds-db:connect resource of a role: arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<role>
  database_user_arns = var.database == null ? {} : { for k, role in local.database_roles :
    k => "arn:aws:rds-db:${var.region}:${data.aws_caller_identity.current.account_id}:dbuser:${module.database[0].resource_id}/${role}"
  }
  # elasticache:Connect is authorised on both the replication group and the user.
  cache_connect_arns = var.cache == null ? [] : [
    "arn:aws:elasticache:${var.region}:${data.aws_caller_identity.current.account_id}:replicationgroup:${module.cache[0].replication_group_id}",
    "arn:aws:elasticache:${var.region}:${data.aws_caller_identity.current.account_id}:user:${module.cache[0].app_user_id}",
  ]
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  environment        = var.environment
  cluster_name       = local.name
  vpc_cidr           = var.vpc_cidr
  azs                = var.azs
  single_nat_gateway = var.single_nat_gateway
}

module "eks" {
  source = "../../modules/eks"

  cluster_name             = local.name
  environment              = var.environment
  kubernetes_version       = var.kubernetes_version
  vpc_id                   = module.network.vpc_id
  subnet_ids               = module.network.private_subnet_ids
  azs                      = module.network.azs
  endpoint_public_access   = var.endpoint_public_access
  public_access_cidrs      = var.public_access_cidrs
  admin_role_arns          = var.admin_role_arns
  pipeline_role_arns       = var.pipeline_role_arns
  node_instance_types      = var.node_instance_types
  node_min_size_per_az     = var.node_scaling.min
  node_desired_size_per_az = var.node_scaling.desired
  node_max_size_per_az     = var.node_scaling.max
}

module "database" {
  source = "../../modules/database"
  count  = var.database == null ? 0 : 1

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  identifier                      = local.name
  environment                     = var.environment
  vpc_id                          = module.network.vpc_id
  subnet_ids                      = module.network.database_subnet_ids
  allowed_security_group_ids      = local.data_store_client_sg_ids
  engine_version                  = var.database.engine_version
  instance_class                  = var.database.instance_class
  allocated_storage_gib           = var.database.allocated_storage_gib
  max_allocated_storage_gib       = var.database.max_allocated_storage_gib
  multi_az                        = var.database.multi_az
  backup_retention_days           = var.database.backup_retention_days
  deletion_protection             = var.database.deletion_protection
  cross_region_backup_replication = var.database.cross_region_backup_replication
  # prod-dr holds prod's data as a read replica of prod's instance (in this stack's dr_region) until promoted.
  standby = var.database.standby_of == null ? null : {
    source_db_arn = "arn:aws:rds:${var.dr_region}:${data.aws_caller_identity.current.account_id}:db:${var.service}-${var.database.standby_of}"
    promoted      = var.database.standby_promoted
  }
}

module "cache" {
  source = "../../modules/cache"
  count  = var.cache == null ? 0 : 1

  name                       = local.name
  environment                = var.environment
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.database_subnet_ids
  allowed_security_group_ids = local.data_store_client_sg_ids
  node_type                  = var.cache.node_type
  engine_version             = var.cache.engine_version
  num_cache_clusters         = var.cache.num_cache_clusters
  notification_topic_arn     = module.observability.alarm_topic_arn
}

module "backup_storage" {
  source = "../../modules/backup-storage"
  count  = local.replica_mode ? 0 : 1

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name_prefix         = local.name
  environment         = var.environment
  retention_days      = var.backup_bucket.retention_days
  object_lock_mode    = var.backup_bucket.object_lock_mode
  object_lock_days    = var.backup_bucket.object_lock_days
  replication_enabled = var.backup_bucket.replication_enabled
  force_destroy       = var.environment == "dev"
}

# AWS Backup for the RDS database (issue 22): the second line of R2 beside the portable dumps above.
module "backup_vault" {
  source = "../../modules/backup-vault"
  count  = var.database == null ? 0 : 1

  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name_prefix     = local.name
  environment     = var.environment
  selection_tags  = { environment = var.environment, service = var.service }
  vault_lock      = { mode = var.environment == "prod" ? "compliance" : "governance" }
  dr_copy_enabled = startswith(var.environment, "prod")
  alarm_topic_arn = module.observability.alarm_topic_arn
}

# prod-dr: the Multi-Region replica key that prod's backup-storage module created in this region.
data "aws_kms_alias" "backup_replica" {
  count = local.replica_mode ? 1 : 0
  name  = "alias/${var.backup_bucket.source_name_prefix}-backups-replica"
}

# The registry is shared by every environment of the account and created once by stacks/shared (with immutable
# replicas in the DR region); an environment only reads it.
data "aws_ecr_repository" "images" {
  for_each = toset(var.repository_names)

  name = each.value
}

# Application settings that are secret (mail credentials); the value is set out of band, never in code.
resource "aws_secretsmanager_secret" "app" {
  name                    = "${var.service}/${var.environment}/app"
  description             = "Notejam ${var.environment} mail credentials (SPRING_MAIL_USERNAME/PASSWORD), synced by External Secrets"
  recovery_window_in_days = 7
}

module "workload_iam" {
  source = "../../modules/workload-iam"

  name_prefix       = local.name
  cluster_name      = module.eks.cluster_name
  oidc_provider_arn = module.eks.oidc_provider_arn
  oidc_issuer       = module.eks.oidc_issuer

  backup = {
    namespace       = var.kubernetes_namespace
    service_account = "${var.service}-backup"
    bucket_arn      = local.backup_bucket_arn
    kms_key_arn     = local.backup_kms_key_arn
    write_prefix    = var.environment
    # prod-dr restores prod's replicated backups.
    read_prefixes      = local.replica_mode ? [var.backup_bucket.source_environment] : []
    database_user_arns = compact([lookup(local.database_user_arns, "backup", null)])
  }

  # The app and its migration Job (service accounts as the notejam chart names them for release "notejam"):
  # IAM authentication to RDS and ElastiCache. None in dev, whose in-cluster stores use passwords.
  app = var.database == null || var.cache == null ? null : {
    namespace          = var.kubernetes_namespace
    service_accounts   = [var.service, "${var.service}-migrate"]
    database_user_arns = [local.database_user_arns.app]
    cache_connect_arns = local.cache_connect_arns
  }
}

# The cluster add-on layer: EKS add-ons and Pod Identity roles here, Helm releases through
# infra-terraform/cluster-addons/install.sh from the addon_layer output (docs/cluster-addons.md).
module "cluster_addons" {
  source = "../../modules/cluster-addons"

  cluster_name            = module.eks.cluster_name
  cluster_arn             = module.eks.cluster_arn
  region                  = var.region
  vpc_id                  = module.network.vpc_id
  network_policy_enforced = module.eks.network_policy_enforced
  app_namespace           = var.kubernetes_namespace

  # External Secrets reads exactly the secrets the app and the backup job consume.
  external_secrets = {
    secret_arns = concat(
      [aws_secretsmanager_secret.app.arn],
      # null while a stand-by replica replicates (RDS creates its secret at promotion)
      compact(module.database[*].master_user_secret_arn),
    )
    kms_key_arns = module.database[*].kms_key_arn
  }

  # Add-ons need nodes to run on (and CoreDNS); the eks module finishes with its node groups and core add-ons.
  depends_on = [module.eks]
}

module "observability" {
  source = "../../modules/observability"

  name_prefix                = local.name
  environment                = var.environment
  alarm_email_addresses      = var.alarm_email_addresses
  db_instance_identifier     = var.database == null ? null : local.name
  cache_replication_group_id = var.cache == null ? null : local.name
  cache_node_count           = var.cache == null ? 2 : var.cache.num_cache_clusters
  alb_arn_suffix             = var.load_balancer == null ? null : var.load_balancer.arn_suffix
  backup_max_age_hours       = var.backup_max_age_hours
  # Wiring from the rest of the repository and the add-on layer (observability.tf).
  backup_metrics_sink   = local.backup_metrics_sink
  backup_log_group_name = local.container_application_log_group
  prometheus = {
    rule_files                 = local.prometheus_rule_files
    app_namespace              = var.kubernetes_namespace
    eks_cluster_arn            = module.eks.cluster_arn
    scraper_subnet_ids         = module.network.private_subnet_ids
    scraper_security_group_ids = [module.eks.cluster_security_group_id]
    scraper_kubernetes_user    = module.cluster_addons.addon_layer.provides.prometheus_scraper_user
  }
}

module "edge" {
  source = "../../modules/edge"
  count  = var.dns == null ? 0 : 1

  name_prefix   = local.name
  zone_name     = var.dns.zone_name
  host_name     = var.dns.host_name
  failover_role = var.dns.failover_role
  # The failover health check requests this region's own name; the Ingress serves it (outputs.tf helm_values).
  regional_host_name = var.dns.failover_role == null ? null : "${var.region}.${var.dns.zone_name}"
  waf_enabled        = var.dns.waf_enabled
  load_balancer      = var.load_balancer == null ? null : { dns_name = var.load_balancer.dns_name, zone_id = var.load_balancer.zone_id }
}
