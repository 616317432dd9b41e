output "role_arns" {
  description = "IRSA role ARNs keyed by workload (backup, app), for the eks.amazonaws.com/role-arn annotation."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "backup_role_arn" {
  description = "IRSA role ARN of the backup job's service account."
  value       = aws_iam_role.this["backup"].arn
}

output "app_role_arn" {
  description = "IRSA role ARN of the app's and its migration Job's service accounts (null without var.app)."
  value       = try(aws_iam_role.this["app"].arn, null)
}

output "policies" {
  description = "The inline policy documents keyed by workload (for review and tests)."
  value       = { for k, p in aws_iam_role_policy.this : k => jsondecode(p.policy) }
}

output "trust_policies" {
  description = "Trust policy of each role keyed by workload: which namespace and service account may assume it (for the Helm contract test)."
  value       = { for k, r in aws_iam_role.this : k => jsondecode(r.assume_role_policy) }
}
