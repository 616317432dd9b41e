# terraform -chdir=infra-terraform/stacks/platform init -backend-config=../../../environments/test/backend.hcl
# The state bucket comes from infra-terraform/bootstrap (one per account); S3 native locking, no DynamoDB table.
bucket       = "notejam-terraform-state-111122223333-eu-west-1"
key          = "notejam/test/platform.tfstate"
region       = "eu-west-1"
encrypt      = true
# The bootstrap key of this region (without it `encrypt` means SSE-S3, which the state bucket refuses).
kms_key_id   = "alias/notejam-terraform-state"
use_lockfile = true
