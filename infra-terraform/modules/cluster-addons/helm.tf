# What EKS cannot install as an add-on is a Helm release, pinned here and installed by
# infra-terraform/cluster-addons/install.sh from `terraform output -json addon_layer` (one script, with --dry-run).
# Each release gets the static values file named below plus the values Terraform computes (cluster, region, VPC,
# resource requests): Helm merges them in that order.

locals {
  # Requests of every system pod the add-on layer runs: the Helm releases receive exactly these, and the capacity
  # test (CapacityTest) subtracts them from the nodes' allocatable. set_by = "values" means this map sets them;
  # "add-on default" means the EKS add-on's own manifest sets them (docs/cluster-addons.md, on paper).
  system_pods = {
    # DaemonSets: one pod on every node.
    "aws-node"                 = { kind = "DaemonSet", replicas = 1, cpu_m = 25, memory_mi = 0, set_by = "add-on default (vpc-cni)" }
    "kube-proxy"               = { kind = "DaemonSet", replicas = 1, cpu_m = 100, memory_mi = 0, set_by = "add-on default (kube-proxy)" }
    "eks-pod-identity-agent"   = { kind = "DaemonSet", replicas = 1, cpu_m = 25, memory_mi = 64, set_by = "add-on default (eks-pod-identity-agent)" }
    "ebs-csi-node"             = { kind = "DaemonSet", replicas = 1, cpu_m = 30, memory_mi = 120, set_by = "add-on default (aws-ebs-csi-driver: 3 containers x 10m/40Mi)" }
    "cloudwatch-agent"         = { kind = "DaemonSet", replicas = 1, cpu_m = 250, memory_mi = 128, set_by = "add-on default (amazon-cloudwatch-observability)" }
    "fluent-bit"               = { kind = "DaemonSet", replicas = 1, cpu_m = 50, memory_mi = 25, set_by = "add-on default (amazon-cloudwatch-observability)" }
    "prometheus-node-exporter" = { kind = "DaemonSet", replicas = 1, cpu_m = 20, memory_mi = 32, set_by = "values" }
    # Deployments and StatefulSets: placed once per cluster.
    "coredns"                    = { kind = "Deployment", replicas = 2, cpu_m = 100, memory_mi = 70, set_by = "add-on default (coredns)" }
    "metrics-server"             = { kind = "Deployment", replicas = 2, cpu_m = 100, memory_mi = 200, set_by = "values" }
    "ebs-csi-controller"         = { kind = "Deployment", replicas = 2, cpu_m = 60, memory_mi = 240, set_by = "add-on default (aws-ebs-csi-driver: 6 containers x 10m/40Mi)" }
    "cloudwatch-controller"      = { kind = "Deployment", replicas = 1, cpu_m = 100, memory_mi = 64, set_by = "add-on default (amazon-cloudwatch-observability)" }
    "aws-load-balancer-ctrl"     = { kind = "Deployment", replicas = 2, cpu_m = 100, memory_mi = 160, set_by = "values" }
    "cluster-autoscaler"         = { kind = "Deployment", replicas = 1, cpu_m = 100, memory_mi = 600, set_by = "values" }
    "external-secrets"           = { kind = "Deployment", replicas = 1, cpu_m = 50, memory_mi = 128, set_by = "values" }
    "external-secrets-webhook"   = { kind = "Deployment", replicas = 1, cpu_m = 20, memory_mi = 64, set_by = "values" }
    "external-secrets-certs"     = { kind = "Deployment", replicas = 1, cpu_m = 20, memory_mi = 64, set_by = "values" }
    "prometheus-operator"        = { kind = "Deployment", replicas = 1, cpu_m = 100, memory_mi = 128, set_by = "values" }
    "kube-state-metrics"         = { kind = "Deployment", replicas = 1, cpu_m = 50, memory_mi = 128, set_by = "values" }
    "prometheus"                 = { kind = "StatefulSet", replicas = 1, cpu_m = 500, memory_mi = 2048, set_by = "values" }
    "prometheus-config-reloader" = { kind = "StatefulSet", replicas = 1, cpu_m = 10, memory_mi = 25, set_by = "values" }
  }

  requests = { for k, v in local.system_pods : k => { cpu = "${v.cpu_m}m", memory = "${v.memory_mi}Mi" } }

  storage_class_name = "gp3-encrypted"
  secret_store_name  = "aws-secrets-manager"
  # The AMP managed scraper logs in as this user (the observability module's access entry); platform-config binds it.
  prometheus_scraper_user = "aps-collector-user"
  ingress_class_name      = "alb"

  # Installed in this order: the CRDs of a release exist before a later release uses them.
  helm_releases = [
    {
      name        = "kube-prometheus-stack"
      namespace   = "monitoring"
      repository  = "https://prometheus-community.github.io/helm-charts"
      chart       = "kube-prometheus-stack"
      version     = "75.15.1"
      values_file = "values/kube-prometheus-stack.yaml"
      values = {
        prometheusOperator = {
          resources                = { requests = local.requests["prometheus-operator"] }
          prometheusConfigReloader = { resources = { requests = local.requests["prometheus-config-reloader"] } }
        }
        prometheus = {
          prometheusSpec = {
            retention = var.prometheus_retention
            resources = { requests = local.requests["prometheus"] }
            storageSpec = { volumeClaimTemplate = { spec = {
              storageClassName = local.storage_class_name
              accessModes      = ["ReadWriteOnce"]
              resources        = { requests = { storage = "50Gi" } }
            } } }
          }
        }
        kube-state-metrics       = { resources = { requests = local.requests["kube-state-metrics"] } }
        prometheus-node-exporter = { resources = { requests = local.requests["prometheus-node-exporter"] } }
      }
    },
    {
      name        = "external-secrets"
      namespace   = "external-secrets"
      repository  = "https://charts.external-secrets.io"
      chart       = "external-secrets"
      version     = "0.18.2"
      values_file = "values/external-secrets.yaml"
      values = {
        serviceAccount = { create = true, name = local.pod_identities["external-secrets"].service_account }
        resources      = { requests = local.requests["external-secrets"] }
        webhook        = { resources = { requests = local.requests["external-secrets-webhook"] } }
        certController = { resources = { requests = local.requests["external-secrets-certs"] } }
      }
    },
    {
      name        = "aws-load-balancer-controller"
      namespace   = "kube-system"
      repository  = "https://aws.github.io/eks-charts"
      chart       = "aws-load-balancer-controller"
      version     = "1.13.3"
      values_file = "values/aws-load-balancer-controller.yaml"
      values = {
        clusterName    = var.cluster_name
        region         = local.region
        vpcId          = var.vpc_id
        replicaCount   = local.system_pods["aws-load-balancer-ctrl"].replicas
        serviceAccount = { create = true, name = local.pod_identities["aws-load-balancer-controller"].service_account }
        ingressClass   = local.ingress_class_name
        resources      = { requests = local.requests["aws-load-balancer-ctrl"] }
      }
    },
    {
      name        = "cluster-autoscaler"
      namespace   = "kube-system"
      repository  = "https://kubernetes.github.io/autoscaler"
      chart       = "cluster-autoscaler"
      version     = "9.46.6"
      values_file = "values/cluster-autoscaler.yaml"
      values = {
        autoDiscovery = { clusterName = var.cluster_name }
        awsRegion     = local.region
        rbac          = { serviceAccount = { create = true, name = local.pod_identities["cluster-autoscaler"].service_account } }
        resources     = { requests = local.requests["cluster-autoscaler"] }
      }
    },
    {
      # This repository's chart: default StorageClass, the ClusterSecretStore, the app namespace's labels.
      name        = "platform-config"
      namespace   = "kube-system"
      repository  = ""
      chart       = "charts/platform-config"
      version     = "1.0.0"
      values_file = ""
      values = {
        region             = local.region
        storageClass       = { name = local.storage_class_name, isDefault = true, type = "gp3", encrypted = true }
        clusterSecretStore = { name = local.secret_store_name }
        appNamespace       = { name = var.app_namespace, labels = local.app_namespace_labels }
        prometheusScraper  = { userName = local.prometheus_scraper_user }
      }
    },
  ]

  # The ALB controller injects readiness gates into pods of labelled namespaces: a rollout waits until the new
  # pods are healthy targets of the ALB, not only Ready in Kubernetes.
  app_namespace_labels = { "elbv2.k8s.aws/pod-readiness-gate-inject" = "enabled" }
}
