# AWS APIs cannot run here: the provider is mocked (tests/mocks/aws) and every run applies against the mock.
mock_provider "aws" {
  source = "../../tests/mocks/aws"
}

variables {
  cluster_name             = "notejam-prod"
  environment              = "prod"
  vpc_id                   = "vpc-0a1b2c3d4e5f60718"
  subnet_ids               = ["subnet-0aaa1111bbbb2222a", "subnet-0aaa1111bbbb2222b", "subnet-0aaa1111bbbb2222c"]
  azs                      = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  node_min_size_per_az     = 1
  node_desired_size_per_az = 1
  node_max_size_per_az     = 4
}

run "prod_cluster_scales_4x_over_three_zones_private_encrypted_logged_with_irsa" {
  assert {
    condition     = length(aws_eks_node_group.this) == 3 && length(distinct(flatten([for ng in aws_eks_node_group.this : ng.subnet_ids]))) == 3
    error_message = "R3: one managed node group per zone, each pinned to its own subnet."
  }
  assert {
    condition     = alltrue([for ng in aws_eks_node_group.this : ng.scaling_config[0].max_size >= 4 * ng.scaling_config[0].min_size && ng.scaling_config[0].min_size >= 1])
    error_message = "R1: every prod node group's max must be at least 4x its min, and min at least 1."
  }
  assert {
    condition     = alltrue([for ng in aws_eks_node_group.this : ng.tags["k8s.io/cluster-autoscaler/enabled"] == "true" && ng.tags["k8s.io/cluster-autoscaler/notejam-prod"] == "owned"])
    error_message = "R1: node groups need the Cluster Autoscaler discovery tags."
  }
  assert {
    condition     = aws_eks_cluster.this.vpc_config[0].endpoint_private_access && !aws_eks_cluster.this.vpc_config[0].endpoint_public_access
    error_message = "The API endpoint must be private by default."
  }
  assert {
    condition     = aws_eks_cluster.this.encryption_config[0].provider[0].key_arn == aws_kms_key.secrets.arn && contains(aws_eks_cluster.this.encryption_config[0].resources, "secrets")
    error_message = "R8: Kubernetes secrets must be envelope-encrypted with the module's KMS key."
  }
  assert {
    condition     = aws_kms_key.secrets.enable_key_rotation
    error_message = "R8: the secrets key must rotate."
  }
  assert {
    condition     = length(setsubtract(["api", "audit", "authenticator", "controllerManager", "scheduler"], aws_eks_cluster.this.enabled_cluster_log_types)) == 0
    error_message = "R7: all control-plane log types must be enabled."
  }
  assert {
    condition     = aws_cloudwatch_log_group.cluster.name == "/aws/eks/notejam-prod/cluster" && aws_cloudwatch_log_group.cluster.retention_in_days == 90
    error_message = "R7: the control-plane log group must be the one EKS writes to, with a retention."
  }
  assert {
    condition     = aws_iam_openid_connect_provider.this.url == aws_eks_cluster.this.identity[0].oidc[0].issuer && contains(aws_iam_openid_connect_provider.this.client_id_list, "sts.amazonaws.com")
    error_message = "R8: IRSA needs an OIDC provider for the cluster's issuer with audience sts.amazonaws.com."
  }
  assert {
    condition     = output.oidc_issuer == "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    error_message = "oidc_issuer must drop the https:// scheme for IAM condition keys."
  }
  assert {
    condition     = alltrue([for a in ["vpc-cni", "coredns", "kube-proxy", "eks-pod-identity-agent"] : contains(keys(output.addon_versions), a)])
    error_message = "Core add-ons must be managed by EKS."
  }
  assert {
    condition     = output.network_policy_enforced && jsondecode(aws_eks_addon.before_nodes["vpc-cni"].configuration_values).enableNetworkPolicy == "true"
    error_message = "R8: the VPC CNI must enforce NetworkPolicies, or every policy in the charts is ignored."
  }
  assert {
    condition     = alltrue([for v in values(output.addon_versions) : can(regex("^v[0-9.]+-eksbuild\\.[0-9]+$", v))])
    error_message = "Core add-on versions must be pinned."
  }
  assert {
    condition     = aws_launch_template.node.metadata_options[0].http_tokens == "required" && aws_launch_template.node.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "R8: nodes must require IMDSv2 with hop limit 1 so pods cannot use the node role."
  }
}

run "rejects_prod_max_below_four_times_min" {
  command = plan
  variables {
    node_min_size_per_az     = 2
    node_desired_size_per_az = 2
    node_max_size_per_az     = 6
  }
  expect_failures = [var.node_max_size_per_az]
}

run "rejects_two_zones_in_prod" {
  command = plan
  variables {
    subnet_ids = ["subnet-0aaa1111bbbb2222a", "subnet-0aaa1111bbbb2222b"]
    azs        = ["eu-west-1a", "eu-west-1b"]
  }
  expect_failures = [var.azs]
}

run "rejects_world_open_public_endpoint" {
  command = plan
  variables {
    endpoint_public_access = true
    public_access_cidrs    = ["0.0.0.0/0"]
  }
  expect_failures = [var.public_access_cidrs]
}

run "pipeline_role_gets_an_access_entry" {
  variables {
    pipeline_role_arns = ["arn:aws:iam::111122223333:role/notejam-github-deploy"]
  }
  assert {
    condition     = aws_eks_access_entry.pipeline["arn:aws:iam::111122223333:role/notejam-github-deploy"].principal_arn == "arn:aws:iam::111122223333:role/notejam-github-deploy"
    error_message = "The pipeline's deploy role needs an EKS access entry, or it cannot log in to the cluster."
  }
  assert {
    condition     = output.access_entries["arn:aws:iam::111122223333:role/notejam-github-deploy"] == "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
    error_message = "The pipeline installs CRDs and cluster RBAC (add-on layer): it needs the cluster-admin access policy."
  }
}

run "prod_without_network_policy_enforcement_is_refused" {
  command = plan
  variables {
    network_policy_enforcement = false
  }
  expect_failures = [var.network_policy_enforcement]
}
