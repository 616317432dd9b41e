locals {
  # Kubernetes 1.32 built-in kinds the charts may use (no add-on needed).
  builtin_kinds = [
    "v1/ConfigMap", "v1/Secret", "v1/Service", "v1/ServiceAccount", "v1/Pod", "v1/PersistentVolumeClaim",
    "v1/Namespace", "v1/Endpoints", "v1/LimitRange", "v1/ResourceQuota",
    "apps/v1/Deployment", "apps/v1/StatefulSet", "apps/v1/DaemonSet", "apps/v1/ReplicaSet",
    "batch/v1/Job", "batch/v1/CronJob", "autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget",
    "networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/IngressClass", "networking.k8s.io/v1/NetworkPolicy",
    "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding",
    "rbac.authorization.k8s.io/v1/ClusterRole", "rbac.authorization.k8s.io/v1/ClusterRoleBinding",
    "storage.k8s.io/v1/StorageClass", "scheduling.k8s.io/v1/PriorityClass",
  ]

  # Custom resources each release brings (CRD name => the apiVersion/Kind it serves).
  release_crds = {
    kube-prometheus-stack = {
      "servicemonitors.monitoring.coreos.com"     = "monitoring.coreos.com/v1/ServiceMonitor"
      "podmonitors.monitoring.coreos.com"         = "monitoring.coreos.com/v1/PodMonitor"
      "prometheusrules.monitoring.coreos.com"     = "monitoring.coreos.com/v1/PrometheusRule"
      "probes.monitoring.coreos.com"              = "monitoring.coreos.com/v1/Probe"
      "prometheuses.monitoring.coreos.com"        = "monitoring.coreos.com/v1/Prometheus"
      "alertmanagers.monitoring.coreos.com"       = "monitoring.coreos.com/v1/Alertmanager"
      "alertmanagerconfigs.monitoring.coreos.com" = "monitoring.coreos.com/v1alpha1/AlertmanagerConfig"
      "scrapeconfigs.monitoring.coreos.com"       = "monitoring.coreos.com/v1alpha1/ScrapeConfig"
    }
    external-secrets = {
      "externalsecrets.external-secrets.io"        = "external-secrets.io/v1/ExternalSecret"
      "clusterexternalsecrets.external-secrets.io" = "external-secrets.io/v1/ClusterExternalSecret"
      "secretstores.external-secrets.io"           = "external-secrets.io/v1/SecretStore"
      "clustersecretstores.external-secrets.io"    = "external-secrets.io/v1/ClusterSecretStore"
      "pushsecrets.external-secrets.io"            = "external-secrets.io/v1alpha1/PushSecret"
    }
    aws-load-balancer-controller = {
      "targetgroupbindings.elbv2.k8s.aws" = "elbv2.k8s.aws/v1beta1/TargetGroupBinding"
      "ingressclassparams.elbv2.k8s.aws"  = "elbv2.k8s.aws/v1beta1/IngressClassParams"
    }
  }
  crds = merge(values(local.release_crds)...)
}

output "addon_layer" {
  description = <<-EOT
    What this environment's add-on layer installs and provides, for the install script and the chart contract test:
    eks_addons (name => version), helm_releases (ordered; chart, version, values), provides (api kinds, CRDs,
    IngressClasses, StorageClasses, ClusterSecretStores, namespace labels, whether NetworkPolicy is enforced and
    the metrics API served), system_pods (requests the capacity test subtracts).
  EOT
  value = {
    cluster_name = var.cluster_name
    region       = local.region
    eks_addons   = { for k, a in aws_eks_addon.this : k => a.addon_version }
    helm_releases = [for r in local.helm_releases : merge(r, {
      # JSON text: the script hands it to Helm as one more values file.
      values = jsonencode(r.values)
    })]
    provides = {
      api_kinds             = sort(concat(local.builtin_kinds, values(local.crds)))
      crds                  = sort(keys(local.crds))
      ingress_classes       = [local.ingress_class_name]
      storage_classes       = [local.storage_class_name]
      default_storage_class = local.storage_class_name
      cluster_secret_stores = [local.secret_store_name]
      namespace_labels      = { (var.app_namespace) = local.app_namespace_labels }
      # The metrics-server add-on serves metrics.k8s.io (the HPA's CPU utilisation).
      metrics_api = contains(keys(aws_eks_addon.this), "metrics-server")
      # Enforcement is the vpc-cni add-on's setting in the eks module, passed in.
      network_policy_enforced = var.network_policy_enforced
      log_groups              = [for g in aws_cloudwatch_log_group.containers : g.name]
      # The Kubernetes user the platform-config chart grants read access for the AMP managed scraper; the
      # observability module's EKS access entry maps the scraper's role to it.
      prometheus_scraper_user = local.prometheus_scraper_user
    }
    pod_identities = { for k, v in local.pod_identities : k => {
      namespace       = v.namespace
      service_account = v.service_account
      role_arn        = aws_iam_role.this[k].arn
    } }
    system_pods = local.system_pods
  }
}

output "role_arns" {
  description = "Pod Identity role ARNs keyed by add-on."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "policies" {
  description = "Inline policy documents keyed by add-on (reviewed by AddOnIamTest)."
  value       = { for k, p in aws_iam_role_policy.this : k => jsondecode(p.policy) }
}
