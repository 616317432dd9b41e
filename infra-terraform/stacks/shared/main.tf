# Once per account, after the bootstrap of each region and before any environment stack (docs/apply-order.md).
# What every environment shares and none may own: the image registry. ECR repository names are unique per
# account and region, so an environment stack creating them fails on the second environment's apply.

locals {
  default_tags = {
    environment   = "shared"
    service       = "notejam"
    owner         = var.owner
    "cost-centre" = var.cost_centre
    "managed-by"  = "terraform"
  }
}

# DR region first: replication creates missing destination repositories with mutable tags, so the immutable
# ones must exist before the first replicated push.
module "registry_dr" {
  source = "../../modules/registry"
  providers = {
    aws = aws.dr
  }

  repository_names = var.repository_names
}

module "registry" {
  source = "../../modules/registry"

  repository_names    = var.repository_names
  replication_regions = [var.dr_region]

  depends_on = [module.registry_dr]
}
