# terraform -chdir=infra-terraform/stacks/shared init -backend-config=backend.hcl
# In the primary region's bootstrap bucket (infra-terraform/bootstrap), encrypted with its key, S3 native locking.
bucket       = "notejam-terraform-state-111122223333-eu-west-1"
key          = "notejam/shared/registry.tfstate"
region       = "eu-west-1"
encrypt      = true
kms_key_id   = "alias/notejam-terraform-state"
use_lockfile = true
