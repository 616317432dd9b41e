# Inputs of the observability module that come from elsewhere in the repository or from other modules, each read
# where it is produced (nothing copied): the chart's Prometheus rules, the backup chart's metrics sink of this
# environment, the log group the cluster's log shipper writes the backup jobs' lines to, the scraper's network.

locals {
  # The chart's rule file, as promtool and the live test check it. The second path is the same file seen from the
  # build's copy of the stacks under infra-terraform/target/terraform/<copy>/ (infra-terraform's TerraformSuiteTest).
  chart_rules_relative_path = "helm-charts/charts/notejam/files/prometheus/notejam-rules.yaml"
  prometheus_rule_files = {
    notejam = try(file("${path.module}/../../../${local.chart_rules_relative_path}"), file("${path.module}/../../../../../../${local.chart_rules_relative_path}"))
  }

  # BACKUP_METRICS_SINK of this environment's backup jobs: environments/<env>/backup.values.yaml, else the
  # notejam-backup chart's default (dev: log). The alarms must watch what the job really publishes.
  backup_values_relative_paths = ["environments/${var.environment}/backup.values.yaml", "helm-charts/charts/notejam-backup/values.yaml"]
  backup_metrics_sink = coalesce([for rel in local.backup_values_relative_paths : try(
    yamldecode(file("${path.module}/../../../${rel}")).metricsSink,
    yamldecode(file("${path.module}/../../../../../../${rel}")).metricsSink,
    null,
  )]...)

  # The amazon-cloudwatch-observability add-on's Fluent Bit ships every container's stdout, the backup CronJobs'
  # included, to the cluster's "application" group (cluster-addons).
  container_application_log_group = one([for g in module.cluster_addons.addon_layer.provides.log_groups : g if endswith(g, "/application")])

  # Who scrapes the management port: the add-on layer's in-cluster Prometheus (kube-prometheus-stack's namespace)
  # and the AMP managed scraper, whose network interfaces sit in the private subnets of the VPC.
  in_cluster_prometheus_namespace = one([for r in module.cluster_addons.addon_layer.helm_releases : r.namespace if r.name == "kube-prometheus-stack"])
  metrics_scrapers = concat(
    [{ namespaceSelector = { matchLabels = { "kubernetes.io/metadata.name" = local.in_cluster_prometheus_namespace } } }],
    local.vpc_peers,
  )
}
