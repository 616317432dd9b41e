data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = coalesce(var.region, data.aws_region.current.name)
  account_id = data.aws_caller_identity.current.account_id
  vpc_arn    = "arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc/${var.vpc_id}"

  # Log groups the CloudWatch add-on writes to; created here so that retention is ours.
  container_log_group_prefix = "/aws/containerinsights/${var.cluster_name}"
  container_log_groups       = ["application", "dataplane", "host", "performance"]

  # Every add-on that calls AWS gets its own role through EKS Pod Identity: no OIDC trust to keep in step, no
  # role ARN that Helm has to carry. installed_by says who creates the service account.
  pod_identities = {
    aws-load-balancer-controller = { namespace = "kube-system", service_account = "aws-load-balancer-controller", installed_by = "helm" }
    cluster-autoscaler           = { namespace = "kube-system", service_account = "cluster-autoscaler", installed_by = "helm" }
    external-secrets             = { namespace = "external-secrets", service_account = "external-secrets", installed_by = "helm" }
    ebs-csi-controller           = { namespace = "kube-system", service_account = "ebs-csi-controller-sa", installed_by = "aws-ebs-csi-driver" }
    cloudwatch-agent             = { namespace = "amazon-cloudwatch", service_account = "cloudwatch-agent", installed_by = "amazon-cloudwatch-observability" }
  }

  # Roles whose pods are created by an EKS add-on get their association through the add-on itself.
  addon_pod_identities = { for k, v in local.pod_identities : v.installed_by => merge(v, { role = k }) if v.installed_by != "helm" }
  helm_pod_identities  = { for k, v in local.pod_identities : k => v if v.installed_by == "helm" }

  # Settings this module owns win over the caller's: the capacity test counts these requests.
  owned_configuration = {
    "metrics-server" = {
      replicas  = local.system_pods["metrics-server"].replicas
      resources = { requests = local.requests["metrics-server"] }
    }
  }
  addon_configuration = { for k, v in var.eks_addons : k => (
    v.configuration == null && !contains(keys(local.owned_configuration), k) ? null :
    merge(v.configuration == null ? {} : v.configuration, lookup(local.owned_configuration, k, {}))
  ) }
}

# --- EKS managed and community add-ons ---------------------------------------------------------------------

resource "aws_eks_addon" "this" {
  for_each = var.eks_addons

  cluster_name                = var.cluster_name
  addon_name                  = each.key
  addon_version               = each.value.version
  configuration_values        = local.addon_configuration[each.key] == null ? null : jsonencode(local.addon_configuration[each.key])
  resolve_conflicts_on_create = "OVERWRITE"
  resolve_conflicts_on_update = "PRESERVE"

  dynamic "pod_identity_association" {
    for_each = contains(keys(local.addon_pod_identities), each.key) ? [local.addon_pod_identities[each.key]] : []
    content {
      role_arn        = aws_iam_role.this[pod_identity_association.value.role].arn
      service_account = pod_identity_association.value.service_account
    }
  }

  depends_on = [aws_cloudwatch_log_group.containers]
}

resource "aws_cloudwatch_log_group" "containers" {
  for_each = toset(local.container_log_groups)

  name              = "${local.container_log_group_prefix}/${each.value}"
  retention_in_days = var.log_retention_days
}

# --- Pod Identity roles ------------------------------------------------------------------------------------

resource "aws_iam_role" "this" {
  for_each = local.pod_identities

  name        = "${var.cluster_name}-${each.key}"
  description = "EKS Pod Identity role of ${each.value.namespace}/${each.value.service_account} in ${var.cluster_name}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "EksPodIdentityForOneServiceAccount"
      Effect    = "Allow"
      Principal = { Service = "pods.eks.amazonaws.com" }
      Action    = ["sts:AssumeRole", "sts:TagSession"]
      # The agent tags every session with the cluster, namespace and service account: only this one may assume it.
      Condition = {
        StringEquals = {
          "aws:SourceAccount"                         = local.account_id
          "aws:RequestTag/eks-cluster-arn"            = var.cluster_arn
          "aws:RequestTag/kubernetes-namespace"       = each.value.namespace
          "aws:RequestTag/kubernetes-service-account" = each.value.service_account
        }
      }
    }]
  })
}

resource "aws_iam_role_policy" "this" {
  for_each = local.policies

  name   = "least-privilege"
  role   = aws_iam_role.this[each.key].id
  policy = jsonencode(each.value)
}

# The EBS CSI driver's documented policy; its calls are tag-scoped inside the AWS managed policy.
resource "aws_iam_role_policy_attachment" "ebs_csi" {
  role       = aws_iam_role.this["ebs-csi-controller"].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

resource "aws_eks_pod_identity_association" "helm" {
  for_each = local.helm_pod_identities

  cluster_name    = var.cluster_name
  namespace       = each.value.namespace
  service_account = each.value.service_account
  role_arn        = aws_iam_role.this[each.key].arn
}
