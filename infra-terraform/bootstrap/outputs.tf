output "state_bucket" {
  description = "State bucket name, for environments/<env>/backend.hcl."
  value       = aws_s3_bucket.state.id
}

output "state_kms_key_arn" {
  description = "KMS key encrypting the state (backend option kms_key_id)."
  value       = aws_kms_key.state.arn
}
