output "state_bucket" {
  description = "State bucket name, for environments/<env>/backend.hcl."
  value       = aws_s3_bucket.state.id
}

output "state_kms_key_arn" {
  description = "KMS key encrypting the state (backend option kms_key_id)."
  value       = aws_kms_key.state.arn
}

output "state_kms_alias" {
  description = "Alias of the state key: kms_key_id in environments/<env>/backend.hcl (the same name in every region)."
  value       = aws_kms_alias.state.name
}

output "backend" {
  description = "The backend settings every environments/<env>/backend.hcl of this region must carry (key aside)."
  value = {
    bucket       = aws_s3_bucket.state.bucket
    region       = var.region
    kms_key_id   = aws_kms_alias.state.name
    encrypt      = true
    use_lockfile = true
  }
}
