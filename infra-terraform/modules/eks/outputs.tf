output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the EKS cluster."
  value       = aws_eks_cluster.this.arn
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = aws_eks_cluster.this.endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API endpoint (for kubeconfig)."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "cluster_security_group_id" {
  description = "Security group EKS attaches to the control plane and managed nodes; data stores allow it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider, for IRSA trust policies."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer" {
  description = "OIDC issuer host and path without https://, the prefix of IRSA condition keys."
  value       = replace(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://", "")
}

output "node_group_names" {
  description = "Managed node group names keyed by availability zone."
  value       = { for az, ng in aws_eks_node_group.this : az => ng.node_group_name }
}

output "node_role_arn" {
  description = "IAM role ARN of the nodes."
  value       = aws_iam_role.node.arn
}

output "secrets_kms_key_arn" {
  description = "KMS key ARN encrypting Kubernetes secrets."
  value       = aws_kms_key.secrets.arn
}

output "node_group_scaling" {
  description = "Scaling bounds per zone's node group: {min, desired, max}."
  value = { for az, ng in aws_eks_node_group.this : az => {
    min     = ng.scaling_config[0].min_size
    desired = ng.scaling_config[0].desired_size
    max     = ng.scaling_config[0].max_size
  } }
}

output "node_group_subnet_ids" {
  description = "Subnet of each zone's node group."
  value       = { for az, ng in aws_eks_node_group.this : az => one(ng.subnet_ids) }
}

output "network_policy_enforced" {
  description = "Whether the VPC CNI enforces NetworkPolicies (configuration of the vpc-cni add-on)."
  value       = jsondecode(aws_eks_addon.before_nodes["vpc-cni"].configuration_values).enableNetworkPolicy == "true"
}

output "addon_versions" {
  description = "Pinned versions of the core add-ons, name => version."
  value       = merge({ for k, a in aws_eks_addon.before_nodes : k => a.addon_version }, { for k, a in aws_eks_addon.this : k => a.addon_version })
}

output "access_entries" {
  description = "Principals with an EKS access entry and their access policy: admins and the pipeline."
  value = merge(
    { for k, a in aws_eks_access_policy_association.admin : k => a.policy_arn },
    { for k, a in aws_eks_access_policy_association.pipeline : k => a.policy_arn },
  )
}

output "node_instance_types" {
  description = "Instance types of the node groups (first preferred): the capacity test computes allocatable from them."
  value       = var.node_instance_types
}
