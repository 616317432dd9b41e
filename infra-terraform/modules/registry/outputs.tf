output "repository_urls" {
  description = "Repository URLs keyed by name (image names for Jib and the Helm values)."
  value       = { for k, r in aws_ecr_repository.this : k => r.repository_url }
}

output "repository_arns" {
  description = "Repository ARNs keyed by name (for CI push policies)."
  value       = { for k, r in aws_ecr_repository.this : k => r.arn }
}

output "replication_regions" {
  description = "Regions receiving copies of every pushed image."
  value       = var.replication_regions
}

output "image_tag_mutability" {
  description = "Tag mutability per repository (IMMUTABLE everywhere)."
  value       = { for k, r in aws_ecr_repository.this : k => r.image_tag_mutability }
}
