# terraform -chdir=infra-terraform/stacks/platform init -backend-config=../../../environments/test/backend.hcl
# The state bucket comes from infra-terraform/bootstrap (one per account); S3 native locking, no DynamoDB table.
bucket       = "notejam-terraform-state-111122223333-eu-west-1"
key          = "notejam/test/platform.tfstate"
region       = "eu-west-1"
encrypt      = true
use_lockfile = true
