# terraform -chdir=infra-terraform/stacks/platform init -backend-config=../../../environments/prod-dr/backend.hcl
# The state bucket comes from infra-terraform/bootstrap (one per account); S3 native locking, no DynamoDB table.
bucket       = "notejam-terraform-state-111122223333-eu-central-1"
key          = "notejam/prod-dr/platform.tfstate"
region       = "eu-central-1"
encrypt      = true
use_lockfile = true
