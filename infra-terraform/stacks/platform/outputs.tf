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
    resource_id            = module.database[0].resource_id
    roles                  = local.database_roles
    replicated_backups_arn = module.database[0].replicated_backups_arn
    settings               = module.database[0].settings
  }
}

output "cache" {
  description = "Redis endpoint, the IAM-authenticated user and settings (null without ElastiCache)."
  value = var.cache == null ? null : {
    host                 = module.cache[0].primary_endpoint_address
    port                 = module.cache[0].port
    replication_group_id = module.cache[0].replication_group_id
    app_user_id          = module.cache[0].app_user_id
    settings             = module.cache[0].settings
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
  value       = { for k, r in data.aws_ecr_repository.images : k => r.repository_url }
}

output "image_tag_mutability" {
  description = "Tag mutability per repository."
  value       = { for k, r in data.aws_ecr_repository.images : k => r.image_tag_mutability }
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

output "observability" {
  description = "Prometheus workspace, scraper and loaded rule namespaces (AMP), the backup metrics sink the alarms expect, the log group the backup alarms read, and the peers allowed to scrape the app."
  value = {
    prometheus            = module.observability.prometheus
    backup_metrics_sink   = local.backup_metrics_sink
    backup_log_group_name = local.container_application_log_group
    backup_age_alarm      = module.observability.backup_age_alarm_name
    metrics_from          = local.metrics_scrapers
  }
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

# --- The one contract from Terraform to Helm --------------------------------------------------------------------
# ci/scripts/deploy.sh writes helm_values.<chart> to a values file and passes it with -f after
# environments/<env>/<chart>.values.yaml, which keeps application settings only. Every value below that names
# infrastructure is produced here and nowhere else (DESIGN.md section 7).

locals {
  # Secrets Manager entries the pods read, with the JSON keys each holds (none: a plain string).
  # The app's mail secret is filled out of band (docs/from-empty-account.md) with this shape.
  # The RDS-managed secret is named by AWS (rds!db-...), so it is referred to by ARN.
  contract_secrets = merge(
    {
      app = { remote_key = aws_secretsmanager_secret.app.name, arn = aws_secretsmanager_secret.app.arn, keys = ["username", "password"] }
    },
    local.database_secret_arn == null ? null : {
      database = { remote_key = local.database_secret_arn, arn = local.database_secret_arn, keys = ["username", "password"] }
    },
  )

  # null without RDS, and in prod-dr while its database is a replica of prod (RDS creates the secret at
  # promotion): the pods then get no database credentials and stay unready until the failover runbook promotes,
  # applies and deploys again.
  database_secret_arn = var.database == null ? null : module.database[0].master_user_secret_arn

  # Managed data stores (test, prod, prod-dr): credentials through External Secrets. dev runs the in-cluster
  # postgres-dev and redis-dev charts, whose generated Secrets the dev values file names; the chart defaults
  # point at their Services.
  managed_stores = var.database != null && var.cache != null

  vpc_peers = [{ ipBlock = { cidr = module.network.vpc_cidr } }]

  # SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES: the VPC range as a regex over whole octets (a /16 fixes two).
  vpc_octets      = split(".", split("/", module.network.vpc_cidr)[0])
  vpc_fixed       = floor(tonumber(split("/", module.network.vpc_cidr)[1]) / 8)
  trusted_proxies = join("\\.", concat(slice(local.vpc_octets, 0, local.vpc_fixed), [for i in range(4 - local.vpc_fixed) : "\\d{1,3}"]))

  # The store the add-on layer configures (External Secrets with its Pod Identity role).
  external_secret_store = { kind = "ClusterSecretStore", name = module.cluster_addons.addon_layer.provides.cluster_secret_stores[0] }

  # The database and Redis need no secret: the app logs in to both with IAM auth tokens (config.*.iamAuth).
  app_secret_data = !local.managed_stores ? null : {
    SPRING_MAIL_USERNAME = { key = local.contract_secrets.app.remote_key, property = "username" }
    SPRING_MAIL_PASSWORD = { key = local.contract_secrets.app.remote_key, property = "password" }
  }

  helm_values_notejam = merge(
    {
      config = merge(
        { trustedProxies = local.trusted_proxies },
        var.dns == null ? null : { baseUrl = "https://${module.edge[0].host_name}" },
        !local.managed_stores ? null : {
          awsRegion = var.region
          # IAM authentication (contract-16): a token per new connection, as the app's own role / cache user.
          database = { url = module.database[0].jdbc_url, iamAuth = true, username = local.database_roles.app }
          redis = {
            host    = module.cache[0].primary_endpoint_address, port = module.cache[0].port, ssl = true
            iamAuth = true, iamUserId = module.cache[0].app_user_id, replicationGroupId = module.cache[0].replication_group_id
          }
          # Amazon SES SMTP interface of the region; credentials in the app secret.
          mail = { host = "email-smtp.${var.region}.amazonaws.com", port = 587 }
        },
      )
      networkPolicy = merge(
        # ALB with target-type ip: traffic and health checks come from the load balancer's addresses in the VPC.
        # metricsFrom: the in-cluster Prometheus and the AMP scraper (observability.tf).
        { ingressFrom = local.vpc_peers, healthCheckFrom = local.vpc_peers, metricsFrom = local.metrics_scrapers },
        !local.managed_stores ? null : {
          egress = {
            postgres = { port = module.database[0].port, to = local.vpc_peers }
            redis    = { port = module.cache[0].port, to = local.vpc_peers }
            smtp     = { port = 587, to = [{ ipBlock = { cidr = "0.0.0.0/0" } }] }
            # STS (web identity credentials for the IAM auth tokens); no STS VPC endpoint in this network.
            awsApi = { port = 443, to = [{ ipBlock = { cidr = "0.0.0.0/0" } }] }
          }
        },
      )
      # The app's role allows only the IAM auth of its data stores (none in dev: in-cluster stores with passwords).
      serviceAccount = { name = var.service, irsaRoleArn = module.workload_iam.app_role_arn == null ? "" : module.workload_iam.app_role_arn }
    },
    var.dns == null ? null : {
      ingress = {
        host           = module.edge[0].host_name
        extraHosts     = module.edge[0].regional_host_name == null ? [] : [module.edge[0].regional_host_name]
        certificateArn = module.edge[0].certificate_arn
        wafAclArn      = module.edge[0].web_acl_arn == null ? "" : module.edge[0].web_acl_arn
      }
    },
    # The role-provisioning hook: the only user of the RDS-managed master secret. Not while prod-dr's database is a
    # replica (read-only; the roles arrive by replication from prod).
    !local.managed_stores || local.database_secret_arn == null ? null : {
      databaseRoles = {
        enabled      = true
        auth         = "iam"
        appRole      = local.database_roles.app
        backupRole   = local.database_roles.backup
        connection   = { host = module.database[0].address, port = module.database[0].port, database = module.database[0].database_name }
        masterSecret = { key = local.database_secret_arn } # RDS's JSON: username, password (contract_secrets.database)
      }
    },
    !local.managed_stores ? null : {
      secrets = {
        existingSecret = ""
        externalSecret = {
          enabled        = true
          secretStoreRef = local.external_secret_store
          data           = local.app_secret_data
        }
        # null removes a key the chart's defaults read (Helm's rule for null in a values file).
        env = { for name in ["SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD", "SPRING_DATA_REDIS_PASSWORD", "SPRING_MAIL_USERNAME", "SPRING_MAIL_PASSWORD"] :
        name => contains(keys(local.app_secret_data), name) ? { key = name } : null }
      }
    },
  )

  helm_values_backup = merge(
    {
      environment = var.environment
      s3          = { bucket = local.backup_bucket_name, region = var.region }
      encryption  = { kmsKeyArn = local.backup_kms_key_arn }
      serviceAccount = {
        name        = "${var.service}-backup"
        irsaRoleArn = module.workload_iam.backup_role_arn
      }
    },
    !local.managed_stores ? null : {
      database      = { url = module.database[0].jdbc_url }
      networkPolicy = { postgres = { port = module.database[0].port, to = local.vpc_peers } }
      # The read-only backup role, logging in with an IAM auth token the CLI makes per run: no database secret.
      extraEnv = {
        NOTEJAM_DATABASE_IAM_AUTH = "true"
        BACKUP_DATABASE_USERNAME  = local.database_roles.backup
        AWS_REGION                = var.region
      }
      secrets = {
        existingSecret = ""
        externalSecret = { enabled = false }
        env            = { BACKUP_DATABASE_USERNAME = null, BACKUP_DATABASE_PASSWORD = null }
      }
    },
  )
}

output "helm_values" {
  description = "Helm values naming infrastructure, per chart (notejam, notejam-backup); ci/scripts/deploy.sh passes each with -f."
  value = {
    notejam          = local.helm_values_notejam
    "notejam-backup" = local.helm_values_backup
  }
}

output "helm_contract" {
  description = "What the charts' cross-references must resolve to: secrets and their keys, role trust, VPC range, hosts, health check (checked by environments' HelmContractTest)."
  value = {
    namespace = var.kubernetes_namespace
    vpc_cidr  = module.network.vpc_cidr
    secrets   = local.contract_secrets
    # Secrets the External Secrets Operator's role may read (its policy's Resource; Pod Identity role in cluster-addons).
    external_secrets_readable = flatten([for s in module.cluster_addons.policies["external-secrets"].Statement : s.Resource if s.Sid == "ReadNamedSecrets"])
    roles = { for k, arn in module.workload_iam.role_arns : k => {
      arn   = arn
      trust = module.workload_iam.trust_policies[k]
    } }
    # Who the workloads log in to the data stores as, and what their roles' policies allow (IAM authentication):
    # the chart's database user names and cache user / replication group must be exactly these.
    data_store_identities = {
      database_roles     = local.database_roles
      database_user_arns = local.database_user_arns
      cache_connect_arns = local.cache_connect_arns
      cache_user_id      = one(module.cache[*].app_user_id)
      replication_group  = one(module.cache[*].replication_group_id)
    }
    edge = var.dns == null ? null : {
      host               = module.edge[0].host_name
      certificate_domain = module.edge[0].certificate_domain_name
      record_name        = module.edge[0].record_name
      regional_host_name = module.edge[0].regional_host_name
      health_check       = module.edge[0].health_check
    }
  }
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

output "iam_policies" {
  description = "Inline policy documents of the workloads' and add-ons' roles, keyed by role (replayed by AddOnIamTest)."
  value       = merge(module.workload_iam.policies, module.cluster_addons.policies)
}

output "backup_vault" {
  description = "AWS Backup for the database (modules/backup-vault), R2's second line beside the encrypted dumps of output backup: the vault in this region and its copy in the DR region, by name and ARN, for the restore decision table (docs/runbooks/backup-and-restore.md). null without a database."
  value = var.database == null ? null : {
    vault_name                = module.backup_vault[0].vault_name
    vault_arn                 = module.backup_vault[0].vault_arn
    dr_vault_name             = module.backup_vault[0].dr_vault_name
    dr_vault_arn              = module.backup_vault[0].dr_vault_arn
    dr_region                 = module.backup_vault[0].dr_vault_name == null ? null : var.dr_region
    plan_id                   = module.backup_vault[0].plan_id
    service_role_arn          = module.backup_vault[0].service_role_arn
    restore_testing_plan_name = module.backup_vault[0].restore_testing_plan_name
    settings                  = module.backup_vault[0].settings
  }
}
