output "repository_urls" {
  description = "Repository URLs in the primary region, keyed by name (Jib's image names)."
  value       = module.registry.repository_urls
}

output "dr_repository_urls" {
  description = "The replica repositories in the DR region, keyed by name (prod-dr pulls from here)."
  value       = module.registry_dr.repository_urls
}

output "image_tag_mutability" {
  description = "Tag mutability per repository and region: IMMUTABLE everywhere."
  value = {
    primary = module.registry.image_tag_mutability
    dr      = module.registry_dr.image_tag_mutability
  }
}

output "replication_regions" {
  description = "Regions receiving every pushed image."
  value       = module.registry.replication_regions
}
