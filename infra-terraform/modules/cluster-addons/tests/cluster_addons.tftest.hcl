# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  cluster_name            = "notejam-prod"
  cluster_arn             = "arn:aws:eks:eu-west-1:111122223333:cluster/notejam-prod"
  vpc_id                  = "vpc-0a1b2c3d4e5f60718"
  network_policy_enforced = true
  external_secrets = {
    secret_arns  = ["arn:aws:secretsmanager:eu-west-1:111122223333:secret:notejam/prod/app-AbCdEf"]
    kms_key_arns = ["arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
  }
}

run "layer_provides_what_the_charts_need_pinned" {
  assert {
    condition     = alltrue([for a in ["metrics-server", "aws-ebs-csi-driver", "amazon-cloudwatch-observability"] : contains(keys(output.addon_layer.eks_addons), a)])
    error_message = "R1/R7: metrics for the HPA, block storage and log shipping must be EKS add-ons."
  }
  assert {
    condition     = alltrue([for v in values(output.addon_layer.eks_addons) : can(regex("^v[0-9.]+-eksbuild\\.[0-9]+$", v))])
    error_message = "Every EKS add-on version must be pinned."
  }
  assert {
    condition     = alltrue([for r in output.addon_layer.helm_releases : can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", r.version))])
    error_message = "Every Helm release must pin an exact chart version."
  }
  assert {
    condition = [for r in output.addon_layer.helm_releases : r.name] == [
      "kube-prometheus-stack", "external-secrets", "aws-load-balancer-controller", "cluster-autoscaler", "platform-config"
    ]
    error_message = "Releases that bring CRDs must come before the platform-config release that uses them."
  }
  assert {
    condition = alltrue([for k in [
      "monitoring.coreos.com/v1/ServiceMonitor", "monitoring.coreos.com/v1/PrometheusRule",
      "external-secrets.io/v1/ExternalSecret", "external-secrets.io/v1/ClusterSecretStore",
      "networking.k8s.io/v1/Ingress", "networking.k8s.io/v1/NetworkPolicy", "autoscaling/v2/HorizontalPodAutoscaler",
    ] : contains(output.addon_layer.provides.api_kinds, k)])
    error_message = "The layer must provide the kinds the notejam charts render."
  }
  assert {
    condition     = output.addon_layer.provides.ingress_classes == ["alb"] && output.addon_layer.provides.default_storage_class == "gp3-encrypted" && output.addon_layer.provides.cluster_secret_stores == ["aws-secrets-manager"]
    error_message = "The layer must provide IngressClass alb, the encrypted default StorageClass and the ClusterSecretStore."
  }
  assert {
    condition     = output.addon_layer.provides.namespace_labels["notejam"]["elbv2.k8s.aws/pod-readiness-gate-inject"] == "enabled"
    error_message = "The app namespace needs the ALB readiness-gate label."
  }
  assert {
    condition     = output.addon_layer.provides.metrics_api && output.addon_layer.provides.network_policy_enforced
    error_message = "The HPA needs the metrics API; NetworkPolicies must be enforced."
  }
  assert {
    condition     = jsondecode(aws_eks_addon.this["metrics-server"].configuration_values).resources.requests.cpu == "${output.addon_layer.system_pods["metrics-server"].cpu_m}m"
    error_message = "metrics-server must run with the requests the capacity test counts."
  }
  assert {
    condition     = jsondecode(one([for r in output.addon_layer.helm_releases : r.values if r.name == "aws-load-balancer-controller"])).resources.requests.memory == "${output.addon_layer.system_pods["aws-load-balancer-ctrl"].memory_mi}Mi"
    error_message = "Helm releases must run with the requests the capacity test counts."
  }
  assert {
    condition     = jsondecode(one([for r in output.addon_layer.helm_releases : r.values if r.name == "aws-load-balancer-controller"])).vpcId == var.vpc_id
    error_message = "The load balancer controller must be told the cluster's VPC."
  }
  assert {
    condition     = alltrue([for g in aws_cloudwatch_log_group.containers : g.retention_in_days == 90 && startswith(g.name, "/aws/containerinsights/notejam-prod/")])
    error_message = "R7: container log groups are created with a retention."
  }
}

run "every_addon_identity_is_bound_to_one_service_account" {
  assert {
    condition = alltrue([for k, r in aws_iam_role.this :
      jsondecode(r.assume_role_policy).Statement[0].Principal.Service == "pods.eks.amazonaws.com" &&
      jsondecode(r.assume_role_policy).Statement[0].Condition.StringEquals["aws:RequestTag/eks-cluster-arn"] == var.cluster_arn &&
      jsondecode(r.assume_role_policy).Statement[0].Condition.StringEquals["aws:RequestTag/kubernetes-service-account"] == output.addon_layer.pod_identities[k].service_account
    ])
    error_message = "R8: each add-on role trusts only its own service account in this cluster."
  }
  assert {
    condition     = toset(keys(aws_eks_pod_identity_association.helm)) == toset(["aws-load-balancer-controller", "cluster-autoscaler", "external-secrets"])
    error_message = "The Helm-installed add-ons get their credentials through Pod Identity associations."
  }
  assert {
    condition     = [for p in aws_eks_addon.this["aws-ebs-csi-driver"].pod_identity_association : p.service_account] == ["ebs-csi-controller-sa"] && [for p in aws_eks_addon.this["amazon-cloudwatch-observability"].pod_identity_association : p.service_account] == ["cloudwatch-agent"]
    error_message = "The EBS CSI driver and the CloudWatch agent get their roles through their add-ons."
  }
  assert {
    condition     = toset(one([for s in output.policies["external-secrets"].Statement : s.Resource if s.Sid == "ReadNamedSecrets"])) == toset(var.external_secrets.secret_arns)
    error_message = "R8: External Secrets may read only the named secrets."
  }
}

run "unpinned_addon_version_is_refused" {
  command = plan
  variables {
    eks_addons = {
      "metrics-server"                  = { version = "latest" }
      "aws-ebs-csi-driver"              = { version = "v1.44.0-eksbuild.1" }
      "amazon-cloudwatch-observability" = { version = "v4.1.0-eksbuild.1" }
    }
  }
  expect_failures = [var.eks_addons]
}

run "wildcard_secret_is_refused" {
  command = plan
  variables {
    external_secrets = { secret_arns = ["*"], kms_key_arns = [] }
  }
  expect_failures = [var.external_secrets]
}
