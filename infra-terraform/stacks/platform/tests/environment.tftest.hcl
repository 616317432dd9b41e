# Plans and applies the platform stack for ONE environment against mocked AWS providers (AWS APIs cannot run
# here). The runner calls it once per environment with -var-file=environments/<env>/platform.tfvars, so the
# checks below hold for every environment, stricter ones for prod and prod-dr.
mock_provider "aws" {
  source = "../../tests/mocks/aws"

  mock_resource "aws_kms_key" {
    defaults = {
      arn    = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
      key_id = "mrk-1234abcd12ab34cd56ef1234567890ab"
    }
  }
}

mock_provider "aws" {
  alias  = "dr"
  source = "../../tests/mocks/aws"

  mock_data "aws_region" {
    defaults = {
      name = "eu-central-1"
    }
  }
}

run "requirements_hold_for_this_environment" {
  # R6: every environment is the same code with its own tfvars.
  assert {
    condition     = output.environment == var.environment && output.region != output.dr_region
    error_message = "R4/R6: the stack must run in its own region with a different DR region."
  }

  # Tags on everything through the providers' default_tags.
  assert {
    condition = alltrue([for k in ["environment", "service", "owner", "cost-centre"] :
    length(trimspace(lookup(output.default_tags, k, ""))) > 0]) && output.default_tags.environment == var.environment
    error_message = "Every resource must carry environment, service, owner and cost-centre tags."
  }

  # R3: three zones in prod and prod-dr; one node group per zone, each in its own subnet.
  assert {
    condition     = !startswith(var.environment, "prod") || length(distinct(output.azs)) >= 3
    error_message = "R3: prod and prod-dr must span three availability zones."
  }
  assert {
    condition     = toset(keys(output.node_group_scaling)) == toset(output.azs) && length(distinct(output.private_subnet_azs)) == length(output.azs)
    error_message = "R3: one node group per zone, each in its own private subnet."
  }

  # R1: the prod cluster can grow to 4x its floor.
  assert {
    condition     = var.environment != "prod" ? true : alltrue([for s in values(output.node_group_scaling) : s.min >= 1 && s.max >= 4 * s.min])
    error_message = "R1: prod node groups need max >= 4x min."
  }

  # R3/R8: data stores.
  assert {
    # Terraform 1.11 evaluates both sides of ||, hence the conditional expressions for optional parts.
    condition = output.database == null ? true : (
      output.database.settings.storage_encrypted && output.database.settings.manage_master_user_password &&
      !output.database.settings.password_in_terraform
    )
    error_message = "R8: RDS must be encrypted and its password managed by RDS, never by Terraform."
  }
  assert {
    condition     = !startswith(var.environment, "prod") ? true : (output.database.settings.multi_az && output.database.settings.backup_retention_days == 35 && output.database.settings.deletion_protection)
    error_message = "R2/R3: prod databases are Multi-AZ, keep 35 days of backups and are deletion-protected."
  }
  assert {
    condition     = var.environment != "prod" ? true : output.database.settings.backups_replicated
    error_message = "R4: prod automated backups must be replicated to the DR region."
  }
  assert {
    condition     = output.cache == null ? true : (output.cache.settings.automatic_failover && output.cache.settings.multi_az && output.cache.settings.encrypted_at_rest && output.cache.settings.tls_required)
    error_message = "R3/R8: Redis must fail over automatically and be encrypted at rest and in transit."
  }
  # R8 / issue 16: no secret value in state or plans. RDS keeps its master password itself (above); the app and the
  # backup job log in with IAM auth tokens as their own roles; Redis has no AUTH token, only an IAM-authenticated
  # user and a disabled default user. NoGeneratedSecretsTest checks the sources hold no generated secret at all.
  assert {
    condition     = output.database == null ? true : (output.database.settings.iam_database_authentication && output.database.roles.app != output.database.roles.backup)
    error_message = "R8: RDS IAM authentication must be on, with separate app and backup roles."
  }
  assert {
    condition     = output.cache == null ? true : (output.cache.settings.iam_auth && !output.cache.settings.default_user_enabled && !output.cache.settings.auth_token_set)
    error_message = "R8: Redis must authenticate with IAM only: no AUTH token, default user off."
  }
  assert {
    condition = output.database == null || output.cache == null ? true : (
      output.helm_values.notejam.config.database.iamAuth && output.helm_values.notejam.config.redis.iamAuth &&
      length(setintersection(keys(output.helm_values.notejam.secrets.externalSecret.data), ["SPRING_DATASOURCE_PASSWORD", "SPRING_DATA_REDIS_PASSWORD"])) == 0
    )
    error_message = "R8: with managed stores the app uses IAM auth and reads no database or Redis password."
  }
  assert {
    condition     = output.database == null ? true : alltrue([for k, arn in output.helm_contract.data_store_identities.database_user_arns : endswith(arn, ":dbuser:${output.database.resource_id}/${output.database.roles[k]}")])
    error_message = "The rds-db:connect ARNs must name this instance's DbiResourceId and the role of each workload."
  }
  assert {
    condition     = !startswith(var.environment, "prod") ? true : output.cache.settings.nodes >= 3
    error_message = "R3: prod Redis needs a node per zone."
  }

  # R2/R4: backups.
  assert {
    condition = output.backup.mode == "replica" ? true : (
      output.backup.settings.expiration_days == 1095 && output.backup.settings.versioning == "Enabled" &&
      output.backup.settings.object_lock && output.backup.settings.sse_algorithm == "aws:kms" && output.backup.settings.public_blocked
    )
    error_message = "R2: the backup bucket must be versioned, locked, SSE-KMS, private, and expire objects at 1095 days."
  }
  assert {
    condition     = var.environment != "prod" ? true : (output.backup.replica_region == var.dr_region && output.backup.replica_region != var.region && output.backup.settings.replication_target != null)
    error_message = "R4: prod backups must replicate to a bucket in the DR region."
  }
  assert {
    condition     = var.environment != "prod" ? true : (output.backup.settings.object_lock_mode == "COMPLIANCE" && output.backup.settings.object_lock_days == 1095)
    error_message = "R2: prod backups are locked in COMPLIANCE mode for the full 1095 days."
  }
  assert {
    condition     = var.environment != "prod-dr" ? true : (output.backup.mode == "replica" && startswith(output.backup.bucket, "notejam-prod-backups-replica-") && endswith(output.backup.bucket, var.region))
    error_message = "R4: prod-dr must use prod's replica bucket in its own region."
  }

  # R8: least-privilege identities and registry.
  assert {
    condition     = contains(keys(output.irsa_role_arns), "backup")
    error_message = "R8: the backup job needs its IRSA role."
  }
  assert {
    condition     = alltrue([for k in ["external-secrets", "aws-load-balancer-controller", "cluster-autoscaler", "ebs-csi-controller", "cloudwatch-agent"] : contains(keys(output.addon_layer.pod_identities), k)])
    error_message = "R8: External Secrets, the LB controller, the autoscaler, EBS CSI and the log shipper each need their own Pod Identity role."
  }

  # The add-on layer provides what the charts rely on, in every environment.
  assert {
    condition = alltrue([for k in ["monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule", "external-secrets.io/v1/ExternalSecret"] :
    contains(output.addon_layer.provides.api_kinds, k)])
    error_message = "The add-on layer must provide the ServiceMonitor, PrometheusRule and ExternalSecret kinds."
  }
  assert {
    condition     = output.addon_layer.provides.metrics_api && output.addon_layer.provides.network_policy_enforced && output.addon_layer.provides.default_storage_class != null
    error_message = "R1/R8: the HPA needs the metrics API, NetworkPolicies must be enforced, PVCs need a default StorageClass."
  }
  assert {
    condition     = output.addon_layer.cluster_name == output.cluster_name && output.addon_layer.region == var.region
    error_message = "The add-on layer must be installed into this environment's cluster."
  }
  assert {
    # The repositories are read, not created: a second environment in the account applies without a name clash.
    condition     = toset(keys(output.repository_urls)) == toset(["notejam-app", "notejam-backup"]) && length([for r in keys(output.repository_urls) : r if contains(keys(data.aws_ecr_repository.images), r)]) == 2
    error_message = "The environment must pull from the shared registry's notejam-app and notejam-backup repositories (stacks/shared)."
  }

  # R7: the backup-age alarm exists in every environment.
  assert {
    condition     = contains(output.alarm_names, "notejam-${var.environment}-backup-age")
    error_message = "R7: every environment needs the backup-age alarm."
  }

  # R7 (issue 17): observability inputs wired from where they are produced (observability.tf).
  assert {
    # The chart's rules file byte for byte (read here from the source tree or from the build's copy).
    condition = keys(output.observability.prometheus.rule_files_sha256) == ["notejam"] && output.observability.prometheus.rule_files_sha256["notejam"] == try(
      filesha256("../../../helm-charts/charts/notejam/files/prometheus/notejam-rules.yaml"),
      filesha256("../../../../../../helm-charts/charts/notejam/files/prometheus/notejam-rules.yaml")
    )
    error_message = "R7: the AMP rule group namespace must hold exactly the chart's files/prometheus/notejam-rules.yaml, and nothing else."
  }
  assert {
    condition     = output.observability.prometheus.scraper_arn != null && output.observability.prometheus.workspace_arn != null
    error_message = "R7: the managed scraper must collect this cluster's metrics into the environment's workspace."
  }
  assert {
    # dev's backup jobs keep the chart's default sink (log): its age alarm must count the shipped "done" lines, not
    # wait forever for a Notejam/Backup metric nobody publishes; the others publish to CloudWatch.
    condition = var.environment == "dev" ? (
      output.observability.backup_metrics_sink == "log" &&
      module.observability.backup_alarms.age_namespace == "Notejam/BackupLog/dev" && module.observability.backup_alarms.age_metric == "BackupSucceeded" &&
      alltrue([for k in ["BackupFailed", "RestoreDrillFailed"] : module.observability.backup_alarms.failed_expressions[k] == "MAX([FILL(log, 0)])"])
      ) : (
      output.observability.backup_metrics_sink == "cloudwatch" &&
      module.observability.backup_alarms.age_namespace == "Notejam/Backup" && module.observability.backup_alarms.age_metric == "LastSuccessTimestamp" &&
      alltrue([for k in ["BackupFailed", "RestoreDrillFailed"] : module.observability.backup_alarms.failed_expressions[k] == "MAX([FILL(log, 0), FILL(cli, 0)])"])
    )
    error_message = "R7: the backup alarms must watch what this environment's backup job publishes (environments/<env>/backup.values.yaml metricsSink, else the chart default)."
  }
  assert {
    # The backup jobs' lines reach the add-on's application group; the outcome filters must read that group.
    condition = (
      module.observability.backup_alarms.outcome_log_group == "/aws/containerinsights/${output.cluster_name}/application" &&
      contains(output.addon_layer.provides.log_groups, module.observability.backup_alarms.outcome_log_group) &&
      alltrue([for g in values(module.observability.backup_alarms.outcome_filters) : g == module.observability.backup_alarms.outcome_log_group])
    )
    error_message = "R7: the backup outcome filters must read the log group the cluster's Fluent Bit ships the jobs' lines to."
  }
  assert {
    # The chart's NetworkPolicy lets the scrapers reach the management port: the in-cluster Prometheus's namespace
    # and the VPC (the AMP scraper's interfaces).
    condition = (
      anytrue([for p in output.helm_values.notejam.networkPolicy.metricsFrom : try(p.namespaceSelector.matchLabels["kubernetes.io/metadata.name"], "") == "monitoring"]) &&
      anytrue([for p in output.helm_values.notejam.networkPolicy.metricsFrom : try(p.ipBlock.cidr, "") == output.helm_contract.vpc_cidr])
    )
    error_message = "R7: networkPolicy.metricsFrom must admit the in-cluster Prometheus and the AMP scraper to the metrics port."
  }
  assert {
    # The scraper logs in as the user the add-on layer's platform-config chart binds to its read-only ClusterRole.
    condition     = output.observability.prometheus.scraper_user == jsondecode(one([for r in output.addon_layer.helm_releases : r.values if r.name == "platform-config"])).prometheusScraper.userName
    error_message = "R7: the AMP scraper's access entry must name the Kubernetes user platform-config binds, or the scraper discovers no pods."
  }
}
